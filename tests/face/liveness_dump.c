/* Test helper for tests/face/liveness_vs_pytorch.py (not a test itself):
 * for each image path in LIST, detects faces at long side 320, takes the
 * largest, and prints one JSON line with the box, each model's crop
 * rectangle, its 80x80 RGB crop (hex) and its logits, and the fused score.
 * usage: liveness_dump MODEL_DIR LIST [SUFFIX]
 * SUFFIX picks the liveness models minifasnet_v2SUFFIX, minifasnet_v1seSUFFIX
 * (e.g. _int8); the detector is always retinaface_mnet025. */
#include "mcuface/mf_detect.h"
#include "mcuface/mf_liveness.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_posix_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FACES 64

static void *aligned(size_t n) { return aligned_alloc(16, (n + 15) / 16 * 16 + 16); }

static int map_model(const char *dir, const char *name, const char *suffix, mf_mapped_file *f)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s.mfm", dir, name, suffix);
    int err = mf_map_file(path, f);
    if (err) fprintf(stderr, "liveness_dump: cannot map %s: %s\n", path, mf_status_str(err));
    return err;
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: liveness_dump MODEL_DIR LIST [SUFFIX]\n");
        return 2;
    }
    const char *suffix = argc == 4 ? argv[3] : "";
    mf_mapped_file fd, f2, f1;
    if (map_model(argv[1], "retinaface_mnet025", "", &fd) || map_model(argv[1], "minifasnet_v2", suffix, &f2) ||
        map_model(argv[1], "minifasnet_v1se", suffix, &f1))
        return 1;
    mf_detector det;
    mf_liveness lv;
    const void *blobs[2] = {f2.data, f1.data};
    size_t sizes[2] = {f2.size, f1.size}, lv_arena_bytes = 0;
    int err = mf_detector_open(&det, fd.data, fd.size);
    if (!err) err = mf_liveness_open(&lv, blobs, sizes, 2);
    void *det_ws = err ? NULL : aligned(mf_detector_workspace_bytes(&det));
    void *lv_ws = err ? NULL : aligned(mf_liveness_workspace_bytes(&lv)), *lv_arena = NULL;
    if (!err) err = mf_liveness_plan(&lv, lv_ws, mf_liveness_workspace_bytes(&lv), &lv_arena_bytes);
    if (!err) err = mf_liveness_bind(&lv, lv_arena = aligned(lv_arena_bytes), lv_arena_bytes);
    if (err) {
        fprintf(stderr, "liveness_dump: models: %s\n", mf_status_str(err));
        return 1;
    }
    FILE *list = fopen(argv[2], "r");
    if (!list) {
        fprintf(stderr, "liveness_dump: cannot read %s\n", argv[2]);
        return 1;
    }
    static mf_face faces[MAX_FACES];
    static uint8_t crop_pixels[80 * 80 * 3];
    void *det_arena = NULL;
    int32_t planned_w = 0, planned_h = 0;
    char line[4096];
    int status = 0;
    while (!status && fgets(line, sizeof line, list)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0]) continue;
        mf_image img;
        err = mf_image_load(line, &img);
        if (err) {
            fprintf(stderr, "liveness_dump: %s: %s\n", line, mf_status_str(err));
            status = 1;
            break;
        }
        int32_t nw, nh;
        mf_detector_input_size(img.width, img.height, 320, &nw, &nh);
        if (nw != planned_w || nh != planned_h) {
            size_t bytes = 0;
            err = mf_detector_plan(&det, nw, nh, det_ws, mf_detector_workspace_bytes(&det), &bytes);
            free(det_arena);
            det_arena = err ? NULL : aligned(bytes);
            if (!err) err = mf_detector_bind(&det, det_arena, bytes);
            planned_w = nw;
            planned_h = nh;
        }
        mf_detect_options opt = mf_detect_default_options();
        int found = err ? err : mf_detect(&det, &img, &opt, faces, MAX_FACES);
        if (found > MAX_FACES) found = MAX_FACES;
        int best = -1;
        float best_area = -1;
        for (int i = 0; i < found; i++) {
            float area = (faces[i].box[2] - faces[i].box[0]) * (faces[i].box[3] - faces[i].box[1]);
            if (area > best_area) {
                best_area = area;
                best = i;
            }
        }
        mf_liveness_result r;
        if (found >= 0 && best >= 0) found = mf_liveness_check(&lv, &img, &faces[best], &r);
        if (found < 0) {
            fprintf(stderr, "liveness_dump: %s: %s\n", line, mf_status_str(found));
            mf_image_free(&img);
            status = 1;
            break;
        }
        printf("{\"path\":\"%s\",\"width\":%d,\"height\":%d", line, img.width, img.height);
        if (best < 0) {
            printf(",\"box\":null}\n");
            mf_image_free(&img);
            continue;
        }
        const float *b = faces[best].box;
        printf(",\"box\":[%.9g,%.9g,%.9g,%.9g],\"score\":%.9g,\"models\":[", b[0], b[1], b[2], b[3], r.score);
        for (int m = 0; m < r.model_count && !status; m++) {
            mf_image dst;
            int32_t crop[4];
            err = mf_image_init(&dst, crop_pixels, sizeof crop_pixels, 80, 80, 3);
            if (!err) err = mf_liveness_crop(&img, &faces[best], mf_liveness_crop_scale(&lv, m), &dst, crop);
            if (err || memcmp(crop, r.crops[m], sizeof crop)) {
                fprintf(stderr, "liveness_dump: %s: crop %s\n", line, err ? mf_status_str(err) : "differs");
                status = 1;
                break;
            }
            printf("%s{\"scale\":%.17g,\"crop\":[%d,%d,%d,%d],\"logits\":[%.9g,%.9g,%.9g],\"score\":%.9g,\"rgb\":\"",
                   m ? "," : "", mf_liveness_crop_scale(&lv, m), (int)crop[0], (int)crop[1], (int)crop[2],
                   (int)crop[3], r.logits[m][0], r.logits[m][1], r.logits[m][2], r.model_scores[m]);
            for (size_t k = 0; k < sizeof crop_pixels; k++) printf("%02x", crop_pixels[k]);
            printf("\"}");
        }
        printf("]}\n");
        mf_image_free(&img);
    }
    fclose(list);
    free(det_arena);
    free(det_ws);
    free(lv_ws);
    free(lv_arena);
    mf_unmap_file(&fd);
    mf_unmap_file(&f2);
    mf_unmap_file(&f1);
    return status;
}
