/* mcuface embed IMAGE [--json] [--recognizer NAME|FILE] [--size N] [--precision float32|int8] [--max-faces N]
 * mcuface verify A B [--json] [--recognizer NAME|FILE] [--threshold T] [--no-liveness] [--size N]
 *                [--precision float32|int8]
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
#include "mf_image_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FACES 64

typedef struct recognize_args {
    const char *images[2];
    int image_count, json, liveness;
    const char *recognizer;   /* NULL: CLI_DEFAULT_RECOGNIZER */
    cli_precision precision;
    long size;
    float threshold;
    int have_threshold;
    long max_faces;
} recognize_args;

static int parse_args(int argc, char **argv, int images_wanted, recognize_args *a)
{
    memset(a, 0, sizeof *a);
    a->precision = CLI_DEFAULT_PRECISION;
    a->size = 320;
    a->liveness = 1;
    a->max_faces = CLI_DEFAULT_MAX_FACES;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--json")) a->json = 1;
        else if (!strcmp(s, "--no-liveness")) a->liveness = 0;
        else if (!strcmp(s, "--recognizer") && i + 1 < argc) a->recognizer = argv[++i];
        else if (!strcmp(s, "--precision") && i + 1 < argc) {
            if (cli_parse_precision(argv[++i], &a->precision)) return 2;
        }
        else if (!strcmp(s, "--size") && i + 1 < argc) {
            if (cli_parse_long("--size", argv[++i], 0, 8192, &a->size)) return 2;
        } else if (!strcmp(s, "--max-faces") && i + 1 < argc) {
            if (cli_parse_max_faces(argv[++i], &a->max_faces)) return 2;
        } else if (!strcmp(s, "--threshold") && i + 1 < argc) {
            if (cli_parse_threshold(argv[++i], -1.0f, &a->threshold)) return 2;
            a->have_threshold = 1;
        } else if (s[0] == '-') return cli_usage_error("unknown option '%s'", s);
        else if (a->image_count < images_wanted) a->images[a->image_count++] = s;
        else return cli_usage_error("too many images ('%s')", s);
    }
    if (a->image_count != images_wanted) return cli_usage_error("expected %d image%s", images_wanted, images_wanted > 1 ? "s" : "");
    return 0;
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
    int status = parse_args(argc, argv, 1, &a);
    if (status) return status;
    mf_image img;
    int err = mf_image_load(a.images[0], &img);
    if (err) {
        fprintf(stderr, "mcuface: cannot read image %s: %s\n", a.images[0], mf_status_str(err));
        return 1;
    }
    cli_detector cd;
    cli_recognizer cr;
    if (cli_detector_open(&cd, NULL, a.precision)) {
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
    int status = parse_args(argc, argv, 2, &a);
    if (status) return status;
    cli_detector cd;
    cli_recognizer cr;
    cli_liveness cl;
    memset(&cl, 0, sizeof cl);
    if (cli_detector_open(&cd, NULL, a.precision)) return 1;
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
