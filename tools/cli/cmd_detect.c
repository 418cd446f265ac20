/* mcuface detect IMAGE [options] (detect_options below; mcuface detect --help)
 * --precision picks retinaface_mnet025 or retinaface_mnet025_int8; a
 * --detector (or --model) FILE is used as it is. */
#include "cli.h"
#include "cli_args.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include "vision/draw.h"
#include <stdio.h>

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

/* Boxes, landmarks and, above each box (inside it when the box touches the
 * top), the table's row number and score on a box-coloured tag, so rows
 * can be matched to boxes. */
static int annotate(const char *out_path, mf_image *img, const mf_face *faces, int count)
{
    static const uint8_t box_colour[3] = {0, 255, 0}, point_colour[3] = {255, 0, 0}, text_colour[3] = {0, 0, 0};
    int side = img->width > img->height ? img->width : img->height;
    int scale = 1 + side / 600, pad = scale;
    int tag_height = MF_DRAW_GLYPH_H * scale + 2 * pad;
    for (int i = 0; i < count; i++) {
        const mf_face *f = &faces[i];
        mf_draw_rect(img, (int)f->box[0], (int)f->box[1], (int)f->box[2], (int)f->box[3], 2, box_colour);
        for (int k = 0; k < 5; k++)
            mf_draw_dot(img, (int)f->landmarks[2 * k], (int)f->landmarks[2 * k + 1], 2, point_colour);
    }
    for (int i = 0; i < count; i++) { /* after every box, so no box covers a tag */
        const mf_face *f = &faces[i];
        char label[32];
        snprintf(label, sizeof label, "%d %.3f", i + 1, f->score); /* as the table prints them */
        int x = (int)f->box[0], y = (int)f->box[1] - tag_height;
        if (y < 0) y = (int)f->box[1];
        int w = mf_draw_text_width(label, scale) + 2 * pad;
        mf_draw_rect(img, x, y, x + w - 1, y + tag_height - 1, tag_height, box_colour);
        mf_draw_text(img, x + pad, y + pad, label, scale, text_colour);
    }
    return mf_image_save_png(out_path, img);
}

typedef struct detect_args {
    int json;
    long size;
    float score_threshold;
    const char *out_path, *detector;
    cli_precision precision;
} detect_args;

static const cli_option detect_options[] = {
    CLI_OPTION_SIZE(detect_args),
    CLI_OPTION_JSON(detect_args),
    CLI_OPT("-o", CLI_ARG_STRING, detect_args, out_path, "OUT.png",
        "the image with each box, its landmarks, row number and score"),
    CLI_OPTION_DETECTOR(detect_args),
    CLI_OPT("--model", CLI_ARG_STRING, detect_args, detector, "NAME|FILE", "same as --detector"),
    CLI_OPTION_PRECISION(detect_args),
    CLI_OPT("--threshold", CLI_ARG_FLOAT, detect_args, score_threshold, "S",
        "keep faces scoring above S (default 0.5)", .min = 0, .max = 1, .max_open = 1, .meaning = "a score"),
};

const cli_command cli_detect_command = {
    "detect", "IMAGE", "faces with boxes and 5 landmarks", NULL, detect_options, CLI_COUNT(detect_options), 1, 1, cmd_detect,
};

int cmd_detect(int argc, char **argv)
{
    mf_detect_options opt = mf_detect_default_options();
    detect_args a = {.size = 320, .score_threshold = opt.score_threshold, .precision = CLI_DEFAULT_PRECISION};
    int positional = 0, status = cli_args_parse(&cli_detect_command, argc, argv, &a, &positional);
    if (status != CLI_ARGS_RUN) return status;
    opt.score_threshold = a.score_threshold;
    const char *image_path = argv[1], *out_path = a.out_path;
    cli_precision precision = a.precision;
    long size = a.size;
    mf_image img;
    if (cli_load_image(image_path, &img)) return 1;
    cli_detector cd;
    int err = cli_detector_open(&cd, a.detector, precision);
    if (err) {
        mf_image_free(&img);
        return 1;
    }
    static mf_face faces[MAX_FACES];
    int count = cli_detector_prepare(&cd, img.width, img.height, (int32_t)size);
    if (count == MF_OK) count = mf_detect(&cd.det, &img, &opt, faces, MAX_FACES);
    status = 0;
    if (count < 0) {
        status = cli_fail("detect", count);
    } else {
        if (count > MAX_FACES) count = MAX_FACES;
        if (a.json) print_json(faces, count, precision);
        else print_table(image_path, faces, count);
        cli_remark_small_faces(image_path, &img, size, faces, count);
        if (out_path && (err = annotate(out_path, &img, faces, count)) != MF_OK) status = cli_fail(out_path, err);
    }
    cli_detector_close(&cd);
    mf_image_free(&img);
    return status;
}
