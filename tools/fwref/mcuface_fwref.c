/* mcuface-fwref: the host side of the Cortex-M55 firmware check.
 *   mcuface-fwref prepare IN_IMAGE OUT_DIR NAME LONG_SIDE SHORT_SIDE
 *       decodes IN_IMAGE, resizes it to fit a LONG_SIDE x SHORT_SIDE frame
 *       in either orientation (aspect kept, the library's bilinear resize)
 *       and writes OUT_DIR/NAME_WxH.rgb (raw RGB888); prints the path.
 *   mcuface-fwref pipeline DETECTOR LIVENESS[,LIVENESS2] RECOGNIZER IMAGE.rgb...
 *       prints exactly what the firmware prints for the same models and raw
 *       images (port/an547/fw_report.c is compiled into both). */
#include "fw_report.h"
#include "mcuface/mf_detect.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_posix_file.h"
#include "vision/resize.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IMAGES 16
#define MEMORY_BYTES (64u * 1024u * 1024u)

static int prepare(const char *in, const char *dir, const char *name, long long_side, long short_side)
{
    mf_image src, dst;
    int err = mf_image_load(in, &src);
    if (err) {
        fprintf(stderr, "mcuface-fwref: %s: %s\n", in, mf_status_str(err));
        return 1;
    }
    /* the largest scale at which the long side fits LONG_SIDE and the short side SHORT_SIDE */
    int32_t longest = src.width > src.height ? src.width : src.height;
    int32_t shortest = src.width > src.height ? src.height : src.width;
    double s = (double)long_side / longest, s_short = (double)short_side / shortest;
    if (s_short < s) s = s_short;
    int32_t w = (int32_t)floor(src.width * s + 0.5), h = (int32_t)floor(src.height * s + 0.5);
    if (w < 1) w = 1;
    if (h < 1) h = 1;
    size_t bytes = (size_t)w * h * 3;
    uint8_t *pixels = malloc(bytes);
    char path[4096];
    int status = 1;
    if (!pixels) {
        fprintf(stderr, "mcuface-fwref: out of memory\n");
    } else if ((err = mf_image_init(&dst, pixels, bytes, w, h, 3)) || (err = mf_resize_bilinear(&src, &dst))) {
        fprintf(stderr, "mcuface-fwref: resize %s: %s\n", in, mf_status_str(err));
    } else if (snprintf(path, sizeof path, "%s/%s_%dx%d.rgb", dir, name, (int)w, (int)h) >= (int)sizeof path) {
        fprintf(stderr, "mcuface-fwref: path too long\n");
    } else {
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(pixels, 1, bytes, f) != bytes || fclose(f) != 0) {
            fprintf(stderr, "mcuface-fwref: cannot write %s\n", path);
        } else {
            printf("%s\n", path);
            status = 0;
        }
    }
    free(pixels);
    mf_image_free(&src);
    return status;
}

/* NAME_WxH.rgb -> name, width, height (the firmware build parses the same). */
static int parse_name(const char *path, char *name, size_t name_size, int32_t *w, int32_t *h)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.'), *us = strrchr(base, '_');
    if (!dot || !us || us > dot || strcmp(dot, ".rgb") != 0) return MF_EINVAL;
    if (sscanf(us + 1, "%dx%d", (int *)w, (int *)h) != 2 || *w < 1 || *h < 1) return MF_EINVAL;
    size_t n = (size_t)(us - base);
    if (n == 0 || n >= name_size) return MF_EINVAL;
    memcpy(name, base, n);
    name[n] = 0;
    return MF_OK;
}

/* "A,B" -> up to two paths (the liveness models). */
static int split_pair(char *list, char **paths)
{
    char *comma = strchr(list, ',');
    paths[0] = list;
    if (!comma) return 1;
    *comma = 0;
    paths[1] = comma + 1;
    return strchr(paths[1], ',') ? -1 : 2;
}

static int pipeline(char *detector, char *liveness, char *recognizer, int count, char **paths)
{
    if (count > MAX_IMAGES) {
        fprintf(stderr, "mcuface-fwref: at most %d images\n", MAX_IMAGES);
        return 1;
    }
    enum { DET, LV0, LV1, REC, MODELS };
    char *model_paths[MODELS] = {detector, NULL, NULL, recognizer};
    int lv_count = split_pair(liveness, model_paths + LV0);
    if (lv_count < 1) {
        fprintf(stderr, "mcuface-fwref: at most two liveness models\n");
        return 2;
    }
    static char names[MAX_IMAGES][256];
    static mf_mapped_file files[MAX_IMAGES], model_files[MODELS];
    fw_image images[MAX_IMAGES];
    int status = 1, mapped = 0, models_mapped = 0;
    void *memory = NULL;
    fw_models models = {.liveness_count = lv_count};
    for (; models_mapped < MODELS; models_mapped++) {
        if (!model_paths[models_mapped]) continue;
        int err = mf_map_file(model_paths[models_mapped], &model_files[models_mapped]);
        if (err) {
            fprintf(stderr, "mcuface-fwref: %s: %s\n", model_paths[models_mapped], mf_status_str(err));
            goto out;
        }
    }
    fw_blob *blobs[MODELS] = {&models.detector, &models.liveness[0], &models.liveness[1], &models.recognizer};
    for (int m = 0; m < MODELS; m++) {
        blobs[m]->data = model_files[m].data;
        blobs[m]->bytes = model_files[m].size;
    }
    for (; mapped < count; mapped++) {
        fw_image *im = &images[mapped];
        if (parse_name(paths[mapped], names[mapped], sizeof names[mapped], &im->width, &im->height)) {
            fprintf(stderr, "mcuface-fwref: %s: want NAME_WxH.rgb\n", paths[mapped]);
            goto out;
        }
        int err = mf_map_file(paths[mapped], &files[mapped]);
        if (err) {
            fprintf(stderr, "mcuface-fwref: %s: %s\n", paths[mapped], mf_status_str(err));
            goto out;
        }
        if (files[mapped].size != (size_t)im->width * im->height * 3) {
            fprintf(stderr, "mcuface-fwref: %s: size does not match its name\n", paths[mapped]);
            mapped++;
            goto out;
        }
        im->name = names[mapped];
        im->rgb = files[mapped].data;
    }
    memory = aligned_alloc(16, MEMORY_BYTES);
    if (!memory) {
        fprintf(stderr, "mcuface-fwref: out of memory\n");
        goto out;
    }
    status = fw_report_run(&models, images, count, memory, MEMORY_BYTES) ? 1 : 0;
out:
    free(memory);
    for (int i = 0; i < mapped; i++) mf_unmap_file(&files[i]);
    for (int m = 0; m < models_mapped; m++)
        if (model_paths[m]) mf_unmap_file(&model_files[m]);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 7 && !strcmp(argv[1], "prepare")) {
        char *end1, *end2;
        long side = strtol(argv[5], &end1, 10), short_side = strtol(argv[6], &end2, 10);
        if (*end1 || *end2 || side < 1 || side > 4096 || short_side < 1 || short_side > side) {
            fprintf(stderr, "mcuface-fwref: LONG_SIDE wants 1..4096, SHORT_SIDE 1..LONG_SIDE\n");
            return 2;
        }
        return prepare(argv[2], argv[3], argv[4], side, short_side);
    }
    if (argc >= 5 && !strcmp(argv[1], "pipeline")) return pipeline(argv[2], argv[3], argv[4], argc - 5, argv + 5);
    fprintf(stderr, "usage: mcuface-fwref prepare IN_IMAGE OUT_DIR NAME LONG_SIDE SHORT_SIDE\n"
                    "       mcuface-fwref pipeline DETECTOR LIVENESS[,LIVENESS2] RECOGNIZER IMAGE_WxH.rgb...\n");
    return 2;
}
