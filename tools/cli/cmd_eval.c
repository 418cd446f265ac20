/* mcuface eval widerface --data DIR [options] (widerface_options; mcuface eval widerface --help)
 * Runs the detector over the WIDER FACE images listed in DIR/wider_dev_bbx_gt.txt at the reference
 * settings (score > 0.02, NMS 0.4, top 5000 before and 750 after NMS) and prints AP per subset. */
#include "cli.h"
#include "cli_recognizer.h"
#include "cli_liveness.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include "widerface_ap.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEP_AFTER_NMS 750

typedef struct widerface_args {
    const char *data, *detector, *predictions;
    int json;
    long size, limit;
    cli_precision precision;
} widerface_args;

static const cli_option widerface_options[] = {
    CLI_OPT("--data", CLI_ARG_STRING, widerface_args, data, "DIR",
        "WIDER FACE dev set (DIR/wider_dev_bbx_gt.txt)", .required = 1),
    CLI_OPT("--size", CLI_ARG_LONG, widerface_args, size, "N",
        "detector input long side in pixels (default 0 = the image's own size, as the published APs)",
        .min = 0, .max = 8192),
    CLI_OPTION_JSON(widerface_args),
    CLI_OPTION_DETECTOR(widerface_args),
    CLI_OPT("--model", CLI_ARG_STRING, widerface_args, detector, "NAME|FILE", "same as --detector"),
    CLI_OPTION_PRECISION(widerface_args),
    CLI_OPT("--limit", CLI_ARG_LONG, widerface_args, limit, "K",
        "the first K images only (default 0 = all)", .min = 0, .max = (double)LONG_MAX),
    CLI_OPT("--predictions", CLI_ARG_STRING, widerface_args, predictions, "OUT.jsonl",
        "every detection, one JSON line per image"),
};

const cli_command cli_eval_widerface_command = {
    "eval widerface", NULL, "average precision on the easy/medium/hard subsets (IoU 0.5)", NULL, widerface_options,
    CLI_COUNT(widerface_options), 0, 0, NULL,
};

static int eval_widerface(int argc, char **argv)
{
    widerface_args a = {.precision = CLI_DEFAULT_PRECISION};
    int positional = 0, status = cli_args_parse(&cli_eval_widerface_command, argc, argv, &a, &positional);
    if (status != CLI_ARGS_RUN) return status;
    const char *data = a.data, *model = a.detector, *pred_path = a.predictions;
    cli_precision precision = a.precision;
    int json = a.json;
    long size = a.size, limit = a.limit;
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
    status = 0;
    for (int i = 0; i < count && !status; i++) {
        snprintf(path, sizeof path, "%s/images/%s", data, images[i].path);
        mf_image img;
        if (cli_load_image(path, &img)) {
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
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        const cli_command *evals[] = {&cli_eval_lfw_command, &cli_eval_widerface_command, &cli_eval_nuaa_command};
        for (int i = 0; i < CLI_COUNT(evals); i++) cli_args_print_entry(evals[i], stdout);
        return 0;
    }
    return cli_usage_error("usage: mcuface eval widerface|nuaa|lfw --data DIR [options] ('mcuface eval lfw --help' lists them)");
}
