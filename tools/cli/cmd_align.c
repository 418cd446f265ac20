/* mcuface align IMAGE OUT.png [--size N] [--precision float32|int8]: the
 *     largest face, aligned to the canonical 112x112 view, as the
 *     recognizers see it (--precision picks the detector's).
 * mcuface embed --aligned FACE.png... [--recognizer NAME|FILE] [--precision float32|int8]:
 *     embeddings of faces that are already aligned (112x112), one JSON
 *     object per line.
 * Together they let users (and the oracle tests) bring their own crops. */
#include "cli_liveness.h"
#include "cli_recognizer.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FACES 64

int cmd_align(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    long size = 320;
    cli_precision precision = CLI_DEFAULT_PRECISION;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--size") && i + 1 < argc) {
            if (cli_parse_long("--size", argv[++i], 0, 8192, &size)) return 2;
        } else if (!strcmp(argv[i], "--precision") && i + 1 < argc) {
            if (cli_parse_precision(argv[++i], &precision)) return 2;
        } else if (argv[i][0] == '-') return cli_usage_error("align: unknown option '%s'", argv[i]);
        else if (!in) in = argv[i];
        else if (!out) out = argv[i];
        else return cli_usage_error("usage: mcuface align IMAGE OUT.png [--size N] [--precision float32|int8]");
    }
    if (!in || !out) return cli_usage_error("usage: mcuface align IMAGE OUT.png [--size N] [--precision float32|int8]");
    mf_image img;
    int err = mf_image_load(in, &img);
    if (err) {
        fprintf(stderr, "mcuface: cannot read image %s: %s\n", in, mf_status_str(err));
        return 1;
    }
    cli_detector cd;
    if (cli_detector_open(&cd, NULL, precision)) {
        mf_image_free(&img);
        return 1;
    }
    static mf_face faces[MAX_FACES];
    static uint8_t pixels[MF_ALIGNED_SIZE * MF_ALIGNED_SIZE * 3];
    mf_detect_options opt = mf_detect_default_options();
    int count = cli_detector_prepare(&cd, img.width, img.height, (int32_t)size);
    if (count == MF_OK) count = mf_detect(&cd.det, &img, &opt, faces, MAX_FACES);
    if (count > MAX_FACES) count = MAX_FACES;
    int status = 0;
    if (count < 0) status = cli_fail("detect", count);
    else if (count == 0) {
        fprintf(stderr, "mcuface: %s: no face found\n", in);
        status = 1;
    } else {
        mf_image aligned;
        err = mf_image_init(&aligned, pixels, sizeof pixels, MF_ALIGNED_SIZE, MF_ALIGNED_SIZE, 3);
        if (!err) err = mf_align_face(&img, faces[cli_largest_face(faces, count)].landmarks, &aligned);
        if (!err) err = mf_image_save_png(out, &aligned);
        if (err) status = cli_fail(out, err);
    }
    cli_detector_close(&cd);
    mf_image_free(&img);
    return status;
}

int cmd_embed_aligned(int argc, char **argv)
{
    const char *recognizer = NULL;
    cli_precision precision = CLI_DEFAULT_PRECISION;
    int first_image = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--aligned")) continue;
        if (!strcmp(argv[i], "--json")) continue; /* the output is always JSON lines */
        if (!strcmp(argv[i], "--recognizer") && i + 1 < argc) recognizer = argv[++i];
        else if (!strcmp(argv[i], "--precision") && i + 1 < argc) {
            if (cli_parse_precision(argv[++i], &precision)) return 2;
        } else if (argv[i][0] == '-') return cli_usage_error("embed --aligned: unknown option '%s'", argv[i]);
        else if (!first_image) first_image = i;
    }
    if (!first_image)
        return cli_usage_error("usage: mcuface embed --aligned FACE.png... [--recognizer NAME] [--precision float32|int8]");
    cli_recognizer cr;
    if (cli_recognizer_open(&cr, recognizer, precision)) return 1;
    int32_t dim = mf_recognizer_dim(&cr.rec);
    static float embedding[MF_EMBEDDING_MAX_DIM];
    int status = 0;
    for (int i = first_image; i < argc && !status; i++) {
        if (argv[i][0] == '-') {
            i += !strcmp(argv[i], "--recognizer") || !strcmp(argv[i], "--precision");
            continue;
        }
        mf_image face;
        int err = mf_image_load(argv[i], &face);
        if (err) {
            fprintf(stderr, "mcuface: cannot read image %s: %s\n", argv[i], mf_status_str(err));
            status = 1;
            break;
        }
        err = mf_embed(&cr.rec, &face, embedding, dim);
        mf_image_free(&face);
        if (err) {
            fprintf(stderr, "mcuface: %s: %s (aligned faces are 112x112)\n", argv[i], mf_status_str(err));
            status = 1;
            break;
        }
        printf("{\"image\":\"%s\",\"embedding\":[", argv[i]);
        for (int32_t k = 0; k < dim; k++) printf("%s%.7g", k ? "," : "", embedding[k]);
        printf("],\"precision\":\"%s\"}\n", cli_precision_name(precision));
    }
    cli_recognizer_close(&cr);
    return status;
}
