#define _POSIX_C_SOURCE 200809L
/* mcuface eval nuaa --data DIR [options] (nuaa_options; mcuface eval nuaa --help)
 * Anti-spoofing error rates (ISO/IEC 30107-3) on DIR/labels.txt (`path live|spoof`):
 * the largest detected face of each frame gets a live score, as the pipeline
 * judges it (the liveness cascade by default: MiniFASNetV2 alone when it is
 * sure, the fused mean of both models when not; --no-cascade: always the
 * fused mean); a frame is accepted as live when score >= T.
 *   APCER = attack frames accepted / attack frames
 *   BPCER = live frames rejected / live frames, ACER = (APCER + BPCER) / 2
 * A frame where no face is found has score 0 and is rejected at every
 * threshold > 0: for a live frame that is a BPCER error, for an attack frame
 * a correct rejection. Both counts are reported. EER: over all thresholds
 * (the distinct scores), the point where APCER and BPCER are closest, as
 * their mean. threshold_bpcer5: the highest threshold with BPCER <= 5%, which
 * is the one with the lowest APCER under that constraint. --precision applies
 * to the detector and both liveness models; T defaults to the threshold the
 * liveness model files carry (mf_pipeline_liveness_threshold). The EER and
 * the BPCER-5% threshold sweep the scores as they are: with the cascade its
 * band is fixed around the default threshold, so study other thresholds (and
 * bench/liveness_cascade.py, which needs both models' scores in --scores)
 * with --no-cascade. "both_models_share": the faces both models ran on. */
#include "cli.h"
#include "cli_liveness.h"
#include "cli_pipeline.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Faces the largest is chosen among. */
#define MAX_FACES 64

typedef struct nuaa_frame {
    char *path;
    int live;     /* label */
    int found;    /* a face was detected */
    float score;  /* fused live score, 0 without a face */
} nuaa_frame;

static int by_score(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Rates at threshold T: a frame is accepted when found and score >= T. */
static void rates(const nuaa_frame *f, size_t n, float t, double *apcer, double *bpcer)
{
    size_t live = 0, attack = 0, rejected = 0, accepted = 0;
    for (size_t i = 0; i < n; i++) {
        int accept = f[i].found && f[i].score >= t;
        if (f[i].live) {
            live++;
            rejected += !accept;
        } else {
            attack++;
            accepted += accept;
        }
    }
    *apcer = attack ? (double)accepted / attack : 0.0;
    *bpcer = live ? (double)rejected / live : 0.0;
}

static int read_labels(const char *path, nuaa_frame **out, size_t *count)
{
    FILE *fp = fopen(path, "r");
    if (!fp) return MF_ENOTFOUND;
    size_t cap = 0, n = 0;
    nuaa_frame *frames = NULL;
    char line[4096];
    int err = MF_OK;
    while (fgets(line, sizeof line, fp)) {
        char *nl = strpbrk(line, "\r\n");
        if (nl) *nl = 0;
        if (!line[0] || line[0] == '#') continue;
        char *space = strrchr(line, ' ');
        if (!space || (strcmp(space + 1, "live") && strcmp(space + 1, "spoof"))) {
            err = MF_ECORRUPT;
            break;
        }
        *space = 0;
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            nuaa_frame *grown = realloc(frames, cap * sizeof *frames);
            if (!grown) {
                err = MF_ENOMEM;
                break;
            }
            frames = grown;
        }
        frames[n].path = strdup(line);
        if (!frames[n].path) {
            err = MF_ENOMEM;
            break;
        }
        frames[n].live = !strcmp(space + 1, "live");
        frames[n].found = 0;
        frames[n].score = 0.0f;
        n++;
    }
    fclose(fp);
    if (!err && n == 0) err = MF_ECORRUPT;
    if (err) {
        for (size_t i = 0; i < n; i++) free(frames[i].path);
        free(frames);
        return err;
    }
    *out = frames;
    *count = n;
    return MF_OK;
}

typedef struct nuaa_args {
    const char *data, *scores, *detector;
    cli_precision precision;
    int json, have_threshold, cascade;
    long size, limit;
    float threshold;
} nuaa_args;

static const cli_option nuaa_options[] = {
    CLI_OPT("--data", CLI_ARG_STRING, nuaa_args, data, "DIR", "NUAA frames (DIR/labels.txt)", .required = 1),
    CLI_OPTION_JSON(nuaa_args),
    CLI_OPT("--threshold", CLI_ARG_FLOAT, nuaa_args, threshold, "T",
        "live when the fused score is >= T (default: the liveness model file's)",
        .min = 0, .max = 1, .max_open = 0, .meaning = "a live score", .seen = CLI_SEEN(nuaa_args, have_threshold)),
    CLI_OPTION_SIZE(nuaa_args),
    CLI_OPT("--scores", CLI_ARG_STRING, nuaa_args, scores, "OUT.tsv", "every frame's label and live score"),
    CLI_OPTION_DETECTOR(nuaa_args),
    CLI_OPTION_NO_CASCADE(nuaa_args),
    CLI_OPTION_PRECISION(nuaa_args),
    CLI_OPT("--limit", CLI_ARG_LONG, nuaa_args, limit, "K",
        "the first K frames only (default 0 = all)", .min = 0, .max = (double)LONG_MAX),
};

const cli_command cli_eval_nuaa_command = {
    "eval nuaa", NULL, "APCER, BPCER, ACER at the threshold, EER, and the threshold at BPCER = 5%", NULL, nuaa_options,
    CLI_COUNT(nuaa_options), 0, 0, NULL,
};

int eval_nuaa(int argc, char **argv)
{
    nuaa_args a = {.precision = CLI_DEFAULT_PRECISION, .size = 320, .threshold = MF_LIVENESS_DEFAULT_THRESHOLD, .cascade = 1};
    int positional = 0, status = cli_args_parse(&cli_eval_nuaa_command, argc, argv, &a, &positional);
    if (status != CLI_ARGS_RUN) return status;
    const char *data = a.data, *scores_path = a.scores, *detector = a.detector;
    cli_precision precision = a.precision;
    int json = a.json, have_threshold = a.have_threshold;
    long size = a.size, limit = a.limit;
    float threshold = a.threshold;
    char path[4096];
    snprintf(path, sizeof path, "%s/labels.txt", data);
    nuaa_frame *frames = NULL;
    size_t total = 0;
    int err = read_labels(path, &frames, &total);
    if (err) {
        fprintf(stderr, "mcuface: cannot read labels %s: %s\n", path, mf_status_str(err));
        return 1;
    }
    size_t count = limit > 0 && (size_t)limit < total ? (size_t)limit : total;
    cli_pipeline_spec spec = {.detector = detector, .liveness = 1, .precision = precision};
    mf_pipeline_options opt = mf_pipeline_default_options();
    opt.detector_long_side = (int32_t)size;
    opt.tracking = 0;
    opt.select = MF_PIPELINE_SELECT_LARGEST;
    opt.max_faces = MAX_FACES;
    opt.liveness_cascade = a.cascade;
    cli_pipeline cp;
    size_t both_models = 0; /* faces on which both liveness models ran */
    status = cli_pipeline_open(&cp, &spec, NULL, &opt);
    if (!status && !have_threshold)
        threshold = mf_pipeline_liveness_threshold(&cp.pipe); /* the default of the model files used */
    FILE *scores_out = NULL;
    if (!status && scores_path && !(scores_out = fopen(scores_path, "w"))) {
        fprintf(stderr, "mcuface: cannot write %s\n", scores_path);
        status = 1;
    }
    for (size_t i = 0; i < count && !status; i++) {
        snprintf(path, sizeof path, "%s/%s", data, frames[i].path);
        mf_image img;
        if (cli_load_image(path, &img)) {
            status = 1;
            break;
        }
        mf_pipeline_result res;
        status = cli_pipeline_image(&cp, &img, frames[i].path, &res);
        mf_image_free(&img);
        if (status) break;
        int found = res.face_count > 0; /* the largest face, judged */
        const mf_liveness_result *r = found ? &res.faces[0].liveness : NULL;
        const mf_face *face = found ? &res.faces[0].face : NULL;
        frames[i].found = found;
        both_models += found && r->models_run == 2;
        frames[i].score = found ? r->score : 0.0f;
        if (scores_out) {
            fprintf(scores_out, "%s\t%s\t%d", frames[i].path, frames[i].live ? "live" : "spoof", frames[i].found);
            if (found)
                fprintf(scores_out, "\t%.9g\t%.9g\t%.9g\t%.9g\t%.9g\t%.9g\t%.9g", r->score, r->model_scores[0],
                        r->model_scores[1], face->box[0], face->box[1], face->box[2], face->box[3]);
            fputc('\n', scores_out);
        }
        cli_progress("nuaa", i + 1, count);
    }
    if (scores_out) fclose(scores_out);
    cli_pipeline_close(&cp); /* safe on a zeroed one */
    if (!status) {
        size_t live = 0, attack = 0, live_missed = 0, attack_missed = 0;
        float *candidates = malloc((count + 1) * sizeof *candidates);
        float *live_scores = malloc((count + 1) * sizeof *live_scores);
        if (!candidates || !live_scores) {
            free(candidates);
            free(live_scores);
            status = cli_fail("eval", MF_ENOMEM);
        } else {
            size_t nc = 0;
            for (size_t i = 0; i < count; i++) {
                if (frames[i].live) {
                    live++;
                    live_missed += !frames[i].found;
                    live_scores[live - 1] = frames[i].found ? frames[i].score : -1.0f;
                } else {
                    attack++;
                    attack_missed += !frames[i].found;
                }
                if (frames[i].found) candidates[nc++] = frames[i].score;
            }
            candidates[nc++] = 1.1f; /* a threshold above every score: nothing accepted */
            qsort(candidates, nc, sizeof *candidates, by_score);
            double apcer, bpcer, eer = 1.0, eer_gap = 2.0;
            float eer_threshold = 0.0f;
            for (size_t k = 0; k < nc; k++) {
                rates(frames, count, candidates[k], &apcer, &bpcer);
                double gap = apcer > bpcer ? apcer - bpcer : bpcer - apcer;
                if (gap < eer_gap) {
                    eer_gap = gap;
                    eer = (apcer + bpcer) / 2;
                    eer_threshold = candidates[k];
                }
            }
            /* Highest threshold rejecting at most 5% of the live frames: the
             * (floor(0.05 * live) + 1)-th lowest live score (no-face frames count as rejected). */
            qsort(live_scores, live, sizeof *live_scores, by_score);
            size_t allowed = live * 5 / 100;
            float t5 = live > allowed ? live_scores[allowed] : 0.0f;
            if (t5 < 0.0f) t5 = 0.0f; /* more than 5% of live frames without a face: unreachable */
            double apcer5, bpcer5;
            rates(frames, count, t5, &apcer5, &bpcer5);
            rates(frames, count, threshold, &apcer, &bpcer);
            double acer = (apcer + bpcer) / 2;
            size_t faces = live + attack - live_missed - attack_missed;
            double share = faces ? (double)both_models / (double)faces : 0.0;
            if (json)
                printf("{\"apcer\":%.6f,\"bpcer\":%.6f,\"acer\":%.6f,\"eer\":%.6f,\"threshold\":%.6f,"
                       "\"eer_threshold\":%.6f,\"threshold_bpcer5\":%.6f,\"apcer_at_bpcer5\":%.6f,"
                       "\"bpcer_at_bpcer5\":%.6f,\"live\":%zu,\"attack\":%zu,\"live_no_face\":%zu,"
                       "\"attack_no_face\":%zu,\"cascade\":%s,\"both_models_share\":%.6f,\"size\":%ld,\"precision\":\"%s\"}\n",
                       apcer, bpcer, acer, eer, threshold, eer_threshold, t5, apcer5, bpcer5, live, attack,
                       live_missed, attack_missed, a.cascade ? "true" : "false", share, size,
                       cli_precision_name(precision));
            else
                printf("NUAA dev (%zu live, %zu attack frames; no face: %zu live, %zu attack; detector size %ld; %s)\n"
                       "  at threshold %.4f: APCER %.2f%%  BPCER %.2f%%  ACER %.2f%%\n"
                       "  EER %.2f%% (threshold %.4f)\n"
                       "  threshold at BPCER <= 5%%: %.4f (APCER %.2f%%, BPCER %.2f%%)\n"
                       "  liveness %s: both models ran on %.1f%% of the faces\n",
                       live, attack, live_missed, attack_missed, size, cli_precision_name(precision), threshold, 100 * apcer, 100 * bpcer,
                       100 * acer, 100 * eer, eer_threshold, t5, 100 * apcer5, 100 * bpcer5,
                       a.cascade ? "cascade" : "fused (--no-cascade)", 100 * share);
        }
        free(candidates);
        free(live_scores);
    }
    for (size_t i = 0; i < total; i++) free(frames[i].path);
    free(frames);
    return status;
}
