/* mcuface embed IMAGE [options], mcuface verify A B [options] (the tables
 * below; mcuface embed --help, mcuface verify --help).
 * verify compares the largest face of each image; with liveness on (the
 * default) a face judged a spoof is refused: no similarity, exit status 3.
 * --precision applies to every model run (detector, recognizer, liveness
 * pair); the default thresholds are those stored in the files used. embed
 * reports at most --max-faces faces (default 64, best detection scores
 * first) and says when it left some out ("faces_found", "faces_truncated",
 * a warning on stderr). */
#include "cli_pipeline.h"
#include "cli_recognizer.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Faces verify chooses the largest among. */
#define VERIFY_MAX_FACES 64

typedef struct recognize_args {
    const char *images[2];
    int json, liveness, cascade;
    const char *detector;     /* NULL: CLI_DEFAULT_DETECTOR */
    const char *recognizer;   /* NULL: CLI_DEFAULT_RECOGNIZER */
    cli_precision precision;
    long size;
    float threshold;
    int have_threshold;
    long max_faces;           /* embed */
} recognize_args;

static const cli_option embed_options[] = {
    CLI_OPTION_JSON(recognize_args),       CLI_OPTION_RECOGNIZER(recognize_args), CLI_OPTION_DETECTOR(recognize_args),
    CLI_OPTION_SIZE(recognize_args),       CLI_OPTION_PRECISION(recognize_args),
    CLI_OPTION_MAX_FACES(recognize_args),
};

static const cli_option verify_options[] = {
    CLI_OPTION_JSON(recognize_args),
    CLI_OPTION_RECOGNIZER(recognize_args),
    CLI_OPT("--threshold", CLI_ARG_FLOAT, recognize_args, threshold, "T",
        "same person when the cosine similarity is >= T (default: the recognizer file's)",
        .min = -1, .max = 1, .max_open = 0, .meaning = "a cosine", .seen = CLI_SEEN(recognize_args, have_threshold)),
    CLI_OPT("--no-liveness", CLI_ARG_CLEAR, recognize_args, liveness, NULL, "skip the anti-spoofing check"),
    CLI_OPTION_NO_CASCADE(recognize_args),
    CLI_OPTION_DETECTOR(recognize_args),
    CLI_OPTION_SIZE(recognize_args),
    CLI_OPTION_PRECISION(recognize_args),
};

const cli_command cli_embed_command = {
    "embed", "IMAGE", "L2-normalised embedding of every face", NULL, embed_options, CLI_COUNT(embed_options), 1, 1, cmd_embed,
};

const cli_command cli_verify_command = {
    "verify", "A B", "same person? (largest face of each; spoofed faces are refused, exit 3)", NULL, verify_options,
    CLI_COUNT(verify_options), 2, 2, cmd_verify,
};

static int parse_args(const cli_command *cmd, int argc, char **argv, recognize_args *a)
{
    memset(a, 0, sizeof *a);
    a->precision = CLI_DEFAULT_PRECISION;
    a->size = 320;
    a->liveness = 1;
    a->cascade = 1;
    a->max_faces = CLI_DEFAULT_MAX_FACES;
    int count = 0, status = cli_args_parse(cmd, argc, argv, a, &count);
    for (int i = 0; i < count; i++) a->images[i] = argv[1 + i];
    return status;
}

static void print_vector(const float *v, int32_t n)
{
    putchar('[');
    for (int32_t i = 0; i < n; i++) printf("%s%.6f", i ? "," : "", v[i]);
    putchar(']');
}

/* The pipeline for embed and verify: no tracking, no store. */
static int open_pipeline(cli_pipeline *cp, const recognize_args *a, int liveness, mf_pipeline_select select,
                         long max_faces)
{
    cli_pipeline_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.detector = a->detector;
    spec.liveness = liveness;
    spec.recognizer = 1;
    spec.recognizer_name = a->recognizer;
    spec.precision = a->precision;
    mf_pipeline_options opt = mf_pipeline_default_options();
    opt.detector_long_side = (int32_t)a->size;
    opt.tracking = 0;
    opt.select = select;
    opt.max_faces = (int)max_faces;
    opt.liveness_cascade = a->cascade;
    return cli_pipeline_open(cp, &spec, NULL, &opt);
}

int cmd_embed(int argc, char **argv)
{
    recognize_args a;
    int status = parse_args(&cli_embed_command, argc, argv, &a);
    if (status != CLI_ARGS_RUN) return status;
    status = 0;
    mf_image img;
    if (cli_load_image(a.images[0], &img)) return 1;
    cli_pipeline cp;
    if (open_pipeline(&cp, &a, 0, MF_PIPELINE_SELECT_ALL, a.max_faces)) {
        mf_image_free(&img);
        return 1;
    }
    mf_pipeline_result r;
    status = cli_pipeline_image(&cp, &img, a.images[0], &r);
    int32_t dim = mf_pipeline_embedding_dim(&cp.pipe);
    if (!status) {
        if (a.json) printf("{\"faces\":[");
        for (int i = 0; i < r.face_count; i++) {
            const mf_face *f = &r.faces[i].face;
            const float *embedding = r.faces[i].embedding;
            if (a.json) {
                printf("%s{\"box\":[%.2f,%.2f,%.2f,%.2f],\"score\":%.6f,\"embedding\":", i ? "," : "", f->box[0], f->box[1],
                       f->box[2], f->box[3], f->score);
                print_vector(embedding, dim);
                putchar('}');
            } else {
                printf("face %d  box (%.1f, %.1f, %.1f, %.1f)  embedding[0..3] %.4f %.4f %.4f %.4f (dim %d)\n", i + 1,
                       f->box[0], f->box[1], f->box[2], f->box[3], embedding[0], embedding[1], embedding[2], embedding[3], dim);
            }
        }
        if (a.json)
            printf("],\"faces_found\":%d,\"faces_truncated\":%s,\"precision\":\"%s\"}\n", r.detected,
                   r.truncated ? "true" : "false", cli_precision_name(a.precision));
        if (r.truncated) cli_warn_truncated(a.images[0], r.detected, r.face_count);
    }
    cli_pipeline_close(&cp);
    mf_image_free(&img);
    return status;
}

int cmd_verify(int argc, char **argv)
{
    recognize_args a;
    int status = parse_args(&cli_verify_command, argc, argv, &a);
    if (status != CLI_ARGS_RUN) return status;
    status = 0;
    cli_pipeline cp;
    if (open_pipeline(&cp, &a, a.liveness, MF_PIPELINE_SELECT_LARGEST, VERIFY_MAX_FACES)) return 1;
    static float embeddings[2][MF_EMBEDDING_MAX_DIM];
    float live_scores[2] = {1, 1};
    int live[2] = {1, 1};
    int32_t dim = 0;
    for (int k = 0; k < 2 && !status; k++) {
        mf_image img;
        if (cli_load_image(a.images[k], &img)) {
            status = 1;
            break;
        }
        mf_pipeline_result r;
        status = cli_pipeline_image(&cp, &img, a.images[k], &r);
        mf_image_free(&img);
        if (!status && r.face_count < 1) {
            fprintf(stderr, "mcuface: %s: no face found\n", a.images[k]);
            status = 1;
        }
        if (status) break;
        const mf_pipeline_face *f = &r.faces[0];
        live[k] = f->live != 0;
        live_scores[k] = f->live_score;
        dim = mf_pipeline_embedding_dim(&cp.pipe);
        if (f->embedding) memcpy(embeddings[k], f->embedding, (size_t)dim * sizeof(float)); /* a spoof has none */
    }
    if (!status) {
        float threshold = a.have_threshold ? a.threshold : mf_pipeline_verify_threshold(&cp.pipe);
        float live_threshold = mf_pipeline_liveness_threshold(&cp.pipe);
        int refused = !live[0] || !live[1];
        float similarity = refused ? 0.0f : mf_cosine_similarity(embeddings[0], embeddings[1], dim);
        if (a.json) {
            if (refused) printf("{\"similarity\":null,\"same\":false,\"threshold\":%.4f", threshold);
            else printf("{\"similarity\":%.6f,\"same\":%s,\"threshold\":%.4f", similarity,
                        similarity >= threshold ? "true" : "false", threshold);
            if (a.liveness) printf(",\"live\":[%s,%s],\"live_scores\":[%.4f,%.4f],\"live_threshold\":%.4f",
                                   live[0] ? "true" : "false", live[1] ? "true" : "false", live_scores[0], live_scores[1],
                                   live_threshold);
            printf(",\"precision\":\"%s\"}\n", cli_precision_name(a.precision));
        } else if (!refused) {
            printf("similarity %.4f (threshold %.4f): %s\n", similarity, threshold,
                   similarity >= threshold ? "same person" : "different people");
        }
        if (refused) {
            for (int k = 0; k < 2; k++)
                if (!live[k])
                    fprintf(stderr, "mcuface: %s: face judged a spoof (live score %.4f < %.4f); refused (--no-liveness skips the check)\n",
                            a.images[k], live_scores[k], live_threshold);
            status = 3;
        }
    }
    cli_pipeline_close(&cp);
    return status;
}
