/* mcuface eval widerface --data DIR [--size N] [--json] [--model FILE|NAME] [--precision float32|int8] [--limit K] [--predictions OUT.jsonl]
 * Runs the detector over the WIDER FACE images listed in DIR/wider_dev_bbx_gt.txt at the reference
 * settings (score > 0.02, NMS 0.4, top 5000 before and 750 after NMS) and prints AP per subset. */
#include "cli.h"
#include "cli_recognizer.h"
#include "cli_liveness.h"
#include "mcuface/mf_status.h"
#include "mf_image_file.h"
#include "widerface_ap.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEP_AFTER_NMS 750

static int eval_widerface(int argc, char **argv)
{
    const char *data = NULL, *model = NULL, *pred_path = NULL;
    cli_precision precision = CLI_DEFAULT_PRECISION;
    int json = 0;
    long size = 0, limit = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) json = 1;
        else if (!strcmp(a, "--data") && i + 1 < argc) data = argv[++i];
        else if ((!strcmp(a, "--model") || !strcmp(a, "--detector")) && i + 1 < argc) model = argv[++i];
        else if (!strcmp(a, "--precision") && i + 1 < argc) {
            if (cli_parse_precision(argv[++i], &precision)) return 2;
        } else if (!strcmp(a, "--predictions") && i + 1 < argc) pred_path = argv[++i];
        else if (!strcmp(a, "--size") && i + 1 < argc) {
            if (cli_parse_long("--size", argv[++i], 0, 8192, &size)) return 2;
        } else if (!strcmp(a, "--limit") && i + 1 < argc) {
            if (cli_parse_long("--limit", argv[++i], 0, LONG_MAX, &limit)) return 2;
        } else return cli_usage_error("eval widerface: unknown option '%s'", a);
    }
    if (!data) return cli_usage_error("usage: mcuface eval widerface --data DIR [--size N] [--json]");
    char path[4096];
    snprintf(path, sizeof path, "%s/wider_dev_bbx_gt.txt", data);
    wider_image *images = NULL;
    int count = wider_load_ground_truth(path, &images);
    if (count < 0) {
        fprintf(stderr, "mcuface: cannot read ground truth %s: %s\n", path, mf_status_str(count));
        return 1;
    }
    int total = count; /* all of them are freed; --limit evaluates the first K */
    if (limit > 0 && limit < count) count = (int)limit;
    cli_detector cd;
    if (cli_detector_open(&cd, model, precision)) {
        wider_free(images, (size_t)total);
        return 1;
    }
    FILE *pred_out = pred_path ? fopen(pred_path, "w") : NULL;
    if (pred_path && !pred_out) {
        fprintf(stderr, "mcuface: cannot write %s\n", pred_path);
        cli_detector_close(&cd);
        wider_free(images, (size_t)total);
        return 1;
    }
    mf_detect_options opt = {0.02f, 0.4f, 5000};
    static mf_face faces[KEEP_AFTER_NMS];
    int status = 0;
    for (int i = 0; i < count && !status; i++) {
        snprintf(path, sizeof path, "%s/images/%s", data, images[i].path);
        mf_image img;
        int err = mf_image_load(path, &img);
        if (err) {
            fprintf(stderr, "mcuface: cannot read image %s: %s\n", path, mf_status_str(err));
            status = 1;
            break;
        }
        int found = cli_detector_prepare(&cd, img.width, img.height, (int32_t)size);
        if (found == MF_OK) found = mf_detect(&cd.det, &img, &opt, faces, KEEP_AFTER_NMS);
        mf_image_free(&img);
        if (found < 0) {
            status = cli_fail(images[i].path, found);
            break;
        }
        if (found > KEEP_AFTER_NMS) found = KEEP_AFTER_NMS;
        images[i].pred = calloc(found ? (size_t)found : 1, sizeof *images[i].pred);
        if (!images[i].pred) { status = cli_fail("eval", MF_ENOMEM); break; }
        images[i].pred_count = (size_t)found;
        if (pred_out) fprintf(pred_out, "{\"image\":\"%s\",\"faces\":[", images[i].path);
        for (int k = 0; k < found; k++) {
            wider_pred_box *p = &images[i].pred[k];
            p->x1 = faces[k].box[0];
            p->y1 = faces[k].box[1];
            p->x2 = faces[k].box[2];
            p->y2 = faces[k].box[3];
            p->score = faces[k].score;
            if (pred_out)
                fprintf(pred_out, "%s{\"box\":[%.4f,%.4f,%.4f,%.4f],\"score\":%.7f}", k ? "," : "", p->x1, p->y1, p->x2,
                        p->y2, p->score);
        }
        if (pred_out) fprintf(pred_out, "]}\n");
        cli_progress("widerface", (size_t)i + 1, (size_t)count);
    }
    if (pred_out) fclose(pred_out);
    cli_detector_close(&cd);
    if (!status) {
        double easy = wider_average_precision(images, (size_t)count, WIDER_EASY);
        double medium = wider_average_precision(images, (size_t)count, WIDER_MEDIUM);
        double hard = wider_average_precision(images, (size_t)count, WIDER_HARD);
        if (json) printf("{\"easy\":%.4f,\"medium\":%.4f,\"hard\":%.4f,\"images\":%d,\"size\":%ld,\"precision\":\"%s\"}\n", easy,
                         medium, hard, count, size, cli_precision_name(precision));
        else printf("WIDER dev (%d images, size %ld, %s): easy %.1f  medium %.1f  hard %.1f\n", count, size, cli_precision_name(precision),
                    100 * easy, 100 * medium, 100 * hard);
    }
    wider_free(images, (size_t)total);
    return status;
}

int cmd_eval(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "widerface")) return eval_widerface(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "nuaa")) return eval_nuaa(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "lfw")) return eval_lfw(argc - 1, argv + 1);
    return cli_usage_error("usage: mcuface eval widerface|nuaa|lfw --data DIR [--size N] [--json] [--precision float32|int8]");
}
