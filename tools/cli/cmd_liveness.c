/* mcuface liveness IMAGE [--json] [--threshold T] [--size N] [--detector FILE|NAME] [--models V2 V1SE]
 *                  [--precision float32|int8] [--max-faces N]
 * Detects every face and runs the anti-spoofing models on each: fused live
 * score (mean of the two MiniFASNet softmax P(real)) and the decision.
 * --precision applies to the detector and both liveness models (explicit
 * FILEs are used as they are); without --threshold the threshold is the one
 * the first liveness model file carries, else MF_LIVENESS_DEFAULT_THRESHOLD.
 * At most --max-faces faces (default 64, best detection scores first) are
 * judged; "faces_found" / "faces_truncated" and a warning say when more
 * were found. */
#include "cli.h"
#include "cli_liveness.h"
#include "mcuface/mf_status.h"
#include "mf_image_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_liveness(int argc, char **argv)
{
    const char *image_path = NULL, *detector = NULL, *models[2] = {NULL, NULL};
    cli_precision precision = CLI_DEFAULT_PRECISION;
    int json = 0, have_threshold = 0;
    float threshold = MF_LIVENESS_DEFAULT_THRESHOLD;
    long size = 320, max_faces = CLI_DEFAULT_MAX_FACES;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) json = 1;
        else if (!strcmp(a, "--threshold") && i + 1 < argc) {
            char *end;
            threshold = strtof(argv[++i], &end);
            if (*end || !(threshold >= 0 && threshold <= 1))
                return cli_usage_error("--threshold wants a live score in [0, 1], got '%s'", argv[i]);
            have_threshold = 1;
        } else if (!strcmp(a, "--size") && i + 1 < argc) {
            if (cli_parse_long("--size", argv[++i], 0, 8192, &size)) return 2;
        } else if (!strcmp(a, "--max-faces") && i + 1 < argc) {
            if (cli_parse_max_faces(argv[++i], &max_faces)) return 2;
        } else if (!strcmp(a, "--precision") && i + 1 < argc) {
            if (cli_parse_precision(argv[++i], &precision)) return 2;
        } else if (!strcmp(a, "--detector") && i + 1 < argc) detector = argv[++i];
        else if (!strcmp(a, "--models") && i + 2 < argc) {
            models[0] = argv[++i];
            models[1] = argv[++i];
        } else if (a[0] == '-') return cli_usage_error("liveness: unknown option '%s'", a);
        else if (!image_path) image_path = a;
        else return cli_usage_error("liveness: one image at a time ('%s')", a);
    }
    if (!image_path) return cli_usage_error("usage: mcuface liveness IMAGE [--json] [--threshold T] [--size N]");
    mf_image img;
    int err = mf_image_load(image_path, &img);
    if (err) {
        fprintf(stderr, "mcuface: cannot read image %s: %s\n", image_path, mf_status_str(err));
        return 1;
    }
    cli_detector cd;
    if (cli_detector_open(&cd, detector, precision)) {
        mf_image_free(&img);
        return 1;
    }
    cli_liveness cl;
    if (cli_liveness_open(&cl, models[0] ? models : NULL, 2, precision)) {
        cli_detector_close(&cd);
        mf_image_free(&img);
        return 1;
    }
    if (have_threshold) mf_liveness_set_threshold(&cl.lv, threshold);
    int cap = (int)max_faces;
    mf_face *faces = malloc((size_t)cap * sizeof *faces);
    mf_liveness_result *results = malloc((size_t)cap * sizeof *results);
    mf_detect_options opt = mf_detect_default_options();
    int count = faces && results ? cli_detector_prepare(&cd, img.width, img.height, (int32_t)size) : MF_ENOMEM;
    if (count == MF_OK) count = mf_detect(&cd.det, &img, &opt, faces, cap);
    int status = 0;
    if (count < 0) status = cli_fail("detect", count);
    int found = count;
    if (count > cap) count = cap;
    for (int i = 0; i < count && !status; i++) {
        err = mf_liveness_check(&cl.lv, &img, &faces[i], &results[i]);
        if (err) status = cli_fail("liveness", err);
    }
    if (!status) {
        if (json) {
            printf("{\"faces\":[");
            for (int i = 0; i < count; i++) {
                const mf_face *f = &faces[i];
                const mf_liveness_result *r = &results[i];
                printf("%s{\"box\":[%.2f,%.2f,%.2f,%.2f],\"score\":%.6f,\"live_score\":%.6f,\"live\":%s,"
                       "\"model_scores\":[%.6f,%.6f]}",
                       i ? "," : "", f->box[0], f->box[1], f->box[2], f->box[3], f->score, r->score,
                       r->live ? "true" : "false", r->model_scores[0], r->model_scores[1]);
            }
            printf("],\"faces_found\":%d,\"faces_truncated\":%s,\"threshold\":%.6f,\"precision\":\"%s\"}\n", found,
                   found > count ? "true" : "false", mf_liveness_threshold(&cl.lv), cli_precision_name(precision));
        } else {
            printf("%s: %d face%s, live threshold %.4f, %s\n", image_path, count, count == 1 ? "" : "s",
                   mf_liveness_threshold(&cl.lv), cli_precision_name(precision));
            if (count) printf("  #  x1      y1      x2      y2      live score  (per model)         verdict\n");
            for (int i = 0; i < count; i++) {
                const mf_face *f = &faces[i];
                const mf_liveness_result *r = &results[i];
                printf("%3d  %-7.1f %-7.1f %-7.1f %-7.1f %.4f      (%.4f, %.4f)      %s\n", i + 1, f->box[0], f->box[1],
                       f->box[2], f->box[3], r->score, r->model_scores[0], r->model_scores[1],
                       r->live ? "live" : "SPOOF");
            }
        }
        if (found > count) cli_warn_truncated(image_path, found, count);
    }
    free(faces);
    free(results);
    cli_liveness_close(&cl);
    cli_detector_close(&cd);
    mf_image_free(&img);
    return status;
}
