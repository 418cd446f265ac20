/* mcuface liveness IMAGE [options] (liveness_options; mcuface liveness --help)
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
#include "cli_pipeline.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <stdio.h>
#include <stdlib.h>

typedef struct liveness_args {
    int json, have_threshold, cascade;
    float threshold;
    long size, max_faces;
    const char *detector, *models[2];
    cli_precision precision;
} liveness_args;

static const cli_option liveness_options[] = {
    CLI_OPTION_JSON(liveness_args),
    CLI_OPT("--threshold", CLI_ARG_FLOAT, liveness_args, threshold, "T",
        "live when the fused score is >= T (default: the liveness model file's)",
        .min = 0, .max = 1, .max_open = 0, .meaning = "a live score", .seen = CLI_SEEN(liveness_args, have_threshold)),
    CLI_OPTION_SIZE(liveness_args),
    CLI_OPTION_DETECTOR(liveness_args),
    CLI_OPT("--models", CLI_ARG_STRINGS2, liveness_args, models, "V2 V1SE",
        "the two liveness models (default minifasnet_v2 minifasnet_v1se)"),
    CLI_OPTION_NO_CASCADE(liveness_args),
    CLI_OPTION_PRECISION(liveness_args),
    CLI_OPTION_MAX_FACES(liveness_args),
};

const cli_command cli_liveness_command = {
    "liveness", "IMAGE", "anti-spoofing: fused live score of every detected face and the live/spoof decision", NULL,
    liveness_options, CLI_COUNT(liveness_options), 1, 1, cmd_liveness,
};

int cmd_liveness(int argc, char **argv)
{
    liveness_args a = {.threshold = MF_LIVENESS_DEFAULT_THRESHOLD, .size = 320, .precision = CLI_DEFAULT_PRECISION,
                      .max_faces = CLI_DEFAULT_MAX_FACES, .cascade = 1};
    int positional = 0, status = cli_args_parse(&cli_liveness_command, argc, argv, &a, &positional);
    if (status != CLI_ARGS_RUN) return status;
    const char *image_path = argv[1], *detector = a.detector, **models = a.models;
    cli_precision precision = a.precision;
    int json = a.json;
    long size = a.size;
    mf_image img;
    if (cli_load_image(image_path, &img)) return 1;
    cli_pipeline_spec spec = {.detector = detector, .liveness = 1, .precision = precision};
    spec.liveness_models[0] = models[0];
    spec.liveness_models[1] = models[1];
    mf_pipeline_options opt = mf_pipeline_default_options();
    opt.detector_long_side = (int32_t)size;
    opt.tracking = 0;
    opt.max_faces = (int)a.max_faces;
    if (a.have_threshold) opt.liveness_threshold = a.threshold;
    opt.liveness_cascade = a.cascade;
    cli_pipeline cp;
    if (cli_pipeline_open(&cp, &spec, NULL, &opt)) {
        mf_image_free(&img);
        return 1;
    }
    mf_pipeline_result res;
    status = cli_pipeline_image(&cp, &img, image_path, &res);
    int count = status ? 0 : res.face_count;
    mf_face *faces = malloc((size_t)(count > 0 ? count : 1) * sizeof *faces);
    if (!faces && !status) status = cli_fail(image_path, MF_ENOMEM);
    for (int i = 0; i < count && faces; i++) faces[i] = res.faces[i].face;
    if (!status) cli_remark_small_faces(image_path, &img, size, faces, count);
    float threshold = mf_pipeline_liveness_threshold(&cp.pipe);
    if (!status) {
        if (json) {
            printf("{\"faces\":[");
            for (int i = 0; i < count; i++) {
                const mf_face *f = &faces[i];
                const mf_liveness_result *r = &res.faces[i].liveness;
                printf("%s{\"box\":[%.2f,%.2f,%.2f,%.2f],\"score\":%.6f,\"live_score\":%.6f,\"live\":%s,"
                       "\"model_scores\":[%.6f,%.6f]}",
                       i ? "," : "", f->box[0], f->box[1], f->box[2], f->box[3], f->score, r->score,
                       r->live ? "true" : "false", r->model_scores[0], r->model_scores[1]);
            }
            printf("],\"faces_found\":%d,\"faces_truncated\":%s,\"threshold\":%.6f,\"precision\":\"%s\"}\n",
                   res.detected, res.truncated ? "true" : "false", threshold, cli_precision_name(precision));
        } else {
            printf("%s: %d face%s, live threshold %.4f, %s\n", image_path, count, count == 1 ? "" : "s", threshold,
                   cli_precision_name(precision));
            if (count) printf("  #  x1      y1      x2      y2      live score  (per model)         verdict\n");
            for (int i = 0; i < count; i++) {
                const mf_face *f = &faces[i];
                const mf_liveness_result *r = &res.faces[i].liveness;
                printf("%3d  %-7.1f %-7.1f %-7.1f %-7.1f %.4f      (%.4f, %.4f)      %s\n", i + 1, f->box[0], f->box[1],
                       f->box[2], f->box[3], r->score, r->model_scores[0], r->model_scores[1],
                       r->live ? "live" : "SPOOF");
            }
        }
        if (res.truncated) cli_warn_truncated(image_path, res.detected, count);
    }
    free(faces);
    cli_pipeline_close(&cp);
    mf_image_free(&img);
    return status;
}
