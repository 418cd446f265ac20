/* mcuface embed IMAGE [options], mcuface verify A B [options] (the tables
 * below; mcuface embed --help, mcuface verify --help).
 * verify compares the largest face of each image; with liveness on (the
 * default) a face judged a spoof is refused: no similarity, exit status 3.
 * --precision applies to every model run (detector, recognizer, liveness
 * pair); the default thresholds are those stored in the files used. embed
 * reports at most --max-faces faces (default 64, best detection scores
 * first) and says when it left some out ("faces_found", "faces_truncated",
 * a warning on stderr). */
#include "cli_liveness.h"
#include "cli_recognizer.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FACES 64

typedef struct recognize_args {
    const char *images[2];
    int json, liveness;
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

int cmd_embed(int argc, char **argv)
{
    recognize_args a;
    int status = parse_args(&cli_embed_command, argc, argv, &a);
    if (status != CLI_ARGS_RUN) return status;
    status = 0;
    mf_image img;
    int err = mf_image_load(a.images[0], &img);
    if (err) {
        fprintf(stderr, "mcuface: cannot read image %s: %s\n", a.images[0], mf_status_str(err));
        return 1;
    }
    cli_detector cd;
    cli_recognizer cr;
    if (cli_detector_open(&cd, a.detector, a.precision)) {
        mf_image_free(&img);
        return 1;
    }
    if (cli_recognizer_open(&cr, a.recognizer, a.precision)) {
        cli_detector_close(&cd);
        mf_image_free(&img);
        return 1;
    }
    int cap = (int)a.max_faces;
    mf_face *faces = malloc((size_t)cap * sizeof *faces);
    static float embedding[MF_EMBEDDING_MAX_DIM];
    mf_detect_options opt = mf_detect_default_options();
    int count = faces ? cli_detector_prepare(&cd, img.width, img.height, (int32_t)a.size) : MF_ENOMEM;
    if (count == MF_OK) count = mf_detect(&cd.det, &img, &opt, faces, cap);
    if (count < 0) status = cli_fail("detect", count);
    int found = count;
    if (count > cap) count = cap;
    int32_t dim = mf_recognizer_dim(&cr.rec);
    if (!status) {
        if (a.json) printf("{\"faces\":[");
        for (int i = 0; i < count && !status; i++) {
            err = cli_embed_face(&cr, &img, &faces[i], embedding);
            if (err) { status = cli_fail("embed", err); break; }
            const mf_face *f = &faces[i];
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
        if (a.json && !status)
            printf("],\"faces_found\":%d,\"faces_truncated\":%s,\"precision\":\"%s\"}\n", found,
                   found > count ? "true" : "false", cli_precision_name(a.precision));
        if (!status && found > count) cli_warn_truncated(a.images[0], found, count);
    }
    free(faces);
    cli_recognizer_close(&cr);
    cli_detector_close(&cd);
    mf_image_free(&img);
    return status;
}

int cmd_verify(int argc, char **argv)
{
    recognize_args a;
    int status = parse_args(&cli_verify_command, argc, argv, &a);
    if (status != CLI_ARGS_RUN) return status;
    status = 0;
    cli_detector cd;
    cli_recognizer cr;
    cli_liveness cl;
    memset(&cl, 0, sizeof cl);
    if (cli_detector_open(&cd, a.detector, a.precision)) return 1;
    if (cli_recognizer_open(&cr, a.recognizer, a.precision)) {
        cli_detector_close(&cd);
        return 1;
    }
    if (a.liveness && cli_liveness_open(&cl, NULL, 2, a.precision)) {
        cli_recognizer_close(&cr);
        cli_detector_close(&cd);
        return 1;
    }
    if (a.have_threshold) mf_recognizer_set_threshold(&cr.rec, a.threshold);
    static float embeddings[2][MF_EMBEDDING_MAX_DIM];
    float live_scores[2] = {1, 1};
    int live[2] = {1, 1};
    for (int k = 0; k < 2 && !status; k++) {
        mf_image img;
        int err = mf_image_load(a.images[k], &img);
        if (err) {
            fprintf(stderr, "mcuface: cannot read image %s: %s\n", a.images[k], mf_status_str(err));
            status = 1;
            break;
        }
        static mf_face faces[MAX_FACES];
        mf_detect_options opt = mf_detect_default_options();
        int count = cli_detector_prepare(&cd, img.width, img.height, (int32_t)a.size);
        if (count == MF_OK) count = mf_detect(&cd.det, &img, &opt, faces, MAX_FACES);
        if (count > MAX_FACES) count = MAX_FACES;
        int chosen = count > 0 ? cli_largest_face(faces, count) : -1;
        if (count < 0) status = cli_fail(a.images[k], count);
        else if (chosen < 0) {
            fprintf(stderr, "mcuface: %s: no face found\n", a.images[k]);
            status = 1;
        }
        if (!status && a.liveness) {
            mf_liveness_result r;
            err = mf_liveness_check(&cl.lv, &img, &faces[chosen], &r);
            if (err) status = cli_fail("liveness", err);
            live_scores[k] = r.score;
            live[k] = r.live;
        }
        if (!status && (err = cli_embed_face(&cr, &img, &faces[chosen], embeddings[k])) != MF_OK)
            status = cli_fail("embed", err);
        mf_image_free(&img);
    }
    if (!status) {
        float threshold = mf_recognizer_threshold(&cr.rec);
        int refused = !live[0] || !live[1];
        float similarity = mf_cosine_similarity(embeddings[0], embeddings[1], mf_recognizer_dim(&cr.rec));
        if (a.json) {
            if (refused) printf("{\"similarity\":null,\"same\":false,\"threshold\":%.4f", threshold);
            else printf("{\"similarity\":%.6f,\"same\":%s,\"threshold\":%.4f", similarity,
                        similarity >= threshold ? "true" : "false", threshold);
            if (a.liveness) printf(",\"live\":[%s,%s],\"live_scores\":[%.4f,%.4f],\"live_threshold\":%.4f",
                                   live[0] ? "true" : "false", live[1] ? "true" : "false", live_scores[0], live_scores[1],
                                   mf_liveness_threshold(&cl.lv));
            printf(",\"precision\":\"%s\"}\n", cli_precision_name(a.precision));
        } else if (!refused) {
            printf("similarity %.4f (threshold %.4f): %s\n", similarity, threshold,
                   similarity >= threshold ? "same person" : "different people");
        }
        if (refused) {
            for (int k = 0; k < 2; k++)
                if (!live[k])
                    fprintf(stderr, "mcuface: %s: face judged a spoof (live score %.4f < %.4f); refused (--no-liveness skips the check)\n",
                            a.images[k], live_scores[k], mf_liveness_threshold(&cl.lv));
            status = 3;
        }
    }
    if (a.liveness) cli_liveness_close(&cl);
    cli_recognizer_close(&cr);
    cli_detector_close(&cd);
    return status;
}
