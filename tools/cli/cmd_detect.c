/* mcuface detect IMAGE [--size N] [--json] [-o annotated.png] [--model FILE|NAME] [--precision float32|int8]
 *                [--threshold S]
 * --precision picks retinaface_mnet025 or retinaface_mnet025_int8; a --model
 * FILE is used as it is. */
#include "cli.h"
#include "mcuface/mf_status.h"
#include "mf_image_file.h"
#include "vision/draw.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FACES 750 /* as the reference keeps after NMS */

static void print_json(const mf_face *faces, int count, cli_precision precision)
{
    printf("{\"faces\":[");
    for (int i = 0; i < count; i++) {
        const mf_face *f = &faces[i];
        printf("%s{\"box\":[%.2f,%.2f,%.2f,%.2f],\"score\":%.6f,\"landmarks\":[", i ? "," : "", f->box[0], f->box[1],
               f->box[2], f->box[3], f->score);
        for (int k = 0; k < 5; k++)
            printf("%s[%.2f,%.2f]", k ? "," : "", f->landmarks[2 * k], f->landmarks[2 * k + 1]);
        printf("]}");
    }
    printf("],\"precision\":\"%s\"}\n", cli_precision_name(precision));
}

static void print_table(const char *path, const mf_face *faces, int count)
{
    printf("%s: %d face%s\n", path, count, count == 1 ? "" : "s");
    if (count) printf("  #  score   x1      y1      x2      y2      left eye        right eye\n");
    for (int i = 0; i < count; i++) {
        const mf_face *f = &faces[i];
        printf("%3d  %.3f  %-7.1f %-7.1f %-7.1f %-7.1f (%.1f, %.1f)  (%.1f, %.1f)\n", i + 1, f->score, f->box[0],
               f->box[1], f->box[2], f->box[3], f->landmarks[0], f->landmarks[1], f->landmarks[2], f->landmarks[3]);
    }
}

static int annotate(const char *out_path, mf_image *img, const mf_face *faces, int count)
{
    static const uint8_t box_colour[3] = {0, 255, 0}, point_colour[3] = {255, 0, 0};
    for (int i = 0; i < count; i++) {
        const mf_face *f = &faces[i];
        mf_draw_rect(img, (int)f->box[0], (int)f->box[1], (int)f->box[2], (int)f->box[3], 2, box_colour);
        for (int k = 0; k < 5; k++)
            mf_draw_dot(img, (int)f->landmarks[2 * k], (int)f->landmarks[2 * k + 1], 2, point_colour);
    }
    return mf_image_save_png(out_path, img);
}

int cmd_detect(int argc, char **argv)
{
    const char *image_path = NULL, *out_path = NULL, *model = NULL;
    cli_precision precision = CLI_DEFAULT_PRECISION;
    int json = 0;
    long size = 320;
    mf_detect_options opt = mf_detect_default_options();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) json = 1;
        else if (!strcmp(a, "--size") && i + 1 < argc) {
            if (cli_parse_long("--size", argv[++i], 0, 8192, &size)) return 2;
        } else if (!strcmp(a, "--threshold") && i + 1 < argc) {
            char *end;
            opt.score_threshold = strtof(argv[++i], &end);
            if (*end || !(opt.score_threshold >= 0 && opt.score_threshold < 1))
                return cli_usage_error("--threshold wants a score in [0, 1), got '%s'", argv[i]);
        } else if (!strcmp(a, "-o") && i + 1 < argc) out_path = argv[++i];
        else if ((!strcmp(a, "--model") || !strcmp(a, "--detector")) && i + 1 < argc) model = argv[++i];
        else if (!strcmp(a, "--precision") && i + 1 < argc) {
            if (cli_parse_precision(argv[++i], &precision)) return 2;
        } else if (a[0] == '-' ) return cli_usage_error("detect: unknown option '%s'", a);
        else if (!image_path) image_path = a;
        else return cli_usage_error("detect: one image at a time ('%s')", a);
    }
    if (!image_path) return cli_usage_error("usage: mcuface detect IMAGE [--size N] [--json] [-o out.png]");
    mf_image img;
    int err = mf_image_load(image_path, &img);
    if (err) {
        fprintf(stderr, "mcuface: cannot read image %s: %s\n", image_path, mf_status_str(err));
        return 1;
    }
    cli_detector cd;
    err = cli_detector_open(&cd, model, precision);
    if (err) {
        mf_image_free(&img);
        return 1;
    }
    static mf_face faces[MAX_FACES];
    int count = cli_detector_prepare(&cd, img.width, img.height, (int32_t)size);
    if (count == MF_OK) count = mf_detect(&cd.det, &img, &opt, faces, MAX_FACES);
    int status = 0;
    if (count < 0) {
        status = cli_fail("detect", count);
    } else {
        if (count > MAX_FACES) count = MAX_FACES;
        if (json) print_json(faces, count, precision);
        else print_table(image_path, faces, count);
        if (out_path && (err = annotate(out_path, &img, faces, count)) != MF_OK) status = cli_fail(out_path, err);
    }
    cli_detector_close(&cd);
    mf_image_free(&img);
    return status;
}
