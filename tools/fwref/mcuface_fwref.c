/* mcuface-fwref: the host side of the Cortex-M55 firmware check.
 *   mcuface-fwref prepare IN_IMAGE OUT_DIR NAME LONG_SIDE
 *       decodes IN_IMAGE, resizes it (long side LONG_SIDE, aspect kept, the
 *       library's bilinear resize) and writes OUT_DIR/NAME_WxH.rgb (raw
 *       RGB888); prints the path written.
 *   mcuface-fwref detect MODEL IMAGE.rgb...
 *       prints exactly what the firmware prints for the same model and raw
 *       images (port/an547/fw_report.c is compiled into both). */
#include "fw_report.h"
#include "mcuface/mf_detect.h"
#include "mcuface/mf_status.h"
#include "mf_image_file.h"
#include "mf_posix.h"
#include "vision/resize.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IMAGES 16
#define MEMORY_BYTES (64u * 1024u * 1024u)

static int prepare(const char *in, const char *dir, const char *name, long long_side)
{
    mf_image src, dst;
    int err = mf_image_load(in, &src);
    if (err) {
        fprintf(stderr, "mcuface-fwref: %s: %s\n", in, mf_status_str(err));
        return 1;
    }
    int32_t w, h;
    mf_detector_input_size(src.width, src.height, (int32_t)long_side, &w, &h);
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

static int detect(const char *model_path, int count, char **paths)
{
    if (count > MAX_IMAGES) {
        fprintf(stderr, "mcuface-fwref: at most %d images\n", MAX_IMAGES);
        return 1;
    }
    static char names[MAX_IMAGES][256];
    static mf_mapped_file files[MAX_IMAGES];
    fw_image images[MAX_IMAGES];
    mf_mapped_file model;
    int err = mf_map_file(model_path, &model);
    if (err) {
        fprintf(stderr, "mcuface-fwref: %s: %s\n", model_path, mf_status_str(err));
        return 1;
    }
    int status = 1, mapped = 0;
    void *memory = NULL;
    for (; mapped < count; mapped++) {
        fw_image *im = &images[mapped];
        if (parse_name(paths[mapped], names[mapped], sizeof names[mapped], &im->width, &im->height)) {
            fprintf(stderr, "mcuface-fwref: %s: want NAME_WxH.rgb\n", paths[mapped]);
            goto out;
        }
        if ((err = mf_map_file(paths[mapped], &files[mapped])) != MF_OK) {
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
    status = fw_report_run(model.data, model.size, images, count, memory, MEMORY_BYTES) ? 1 : 0;
out:
    free(memory);
    for (int i = 0; i < mapped; i++) mf_unmap_file(&files[i]);
    mf_unmap_file(&model);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 6 && !strcmp(argv[1], "prepare")) {
        char *end;
        long side = strtol(argv[5], &end, 10);
        if (*end || side < 1 || side > 4096) {
            fprintf(stderr, "mcuface-fwref: LONG_SIDE wants 1..4096\n");
            return 2;
        }
        return prepare(argv[2], argv[3], argv[4], side);
    }
    if (argc >= 3 && !strcmp(argv[1], "detect")) return detect(argv[2], argc - 3, argv + 3);
    fprintf(stderr, "usage: mcuface-fwref prepare IN_IMAGE OUT_DIR NAME LONG_SIDE\n"
                    "       mcuface-fwref detect MODEL IMAGE_WxH.rgb...\n");
    return 2;
}
