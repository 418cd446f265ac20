/* Test helper for tests/face/detect_yunet_vs_opencv.py (not a test itself):
 * runs any detector model file on IMAGE at LONG_SIDE (0 = original size) with
 * the given score and NMS thresholds and prints one JSON line: the network
 * size and the faces, every float with 9 significant digits (the CLI's JSON
 * rounds to 0.01 px, too coarse for a 1e-3 px comparison).
 * With RAW, also writes the network's input tensor bytes (YuNet only) to RAW.in and every
 * output's bytes, in order, to RAW.out (for the int8 check against
 * tools/fixtures/int8_reference.py).
 * usage: detect_dump MODEL IMAGE LONG_SIDE SCORE_THRESHOLD NMS_THRESHOLD [RAW] */
#include "mcuface/mf_detect.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_posix_file.h"
#include "face/detect_yunet.h"
#include "nn/graph.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FACES 750

static void *aligned(size_t n) { return aligned_alloc(16, (n + 15) / 16 * 16 + 16); }

static size_t tensor_bytes(const mf_tensor *t) { return mf_tensor_elements(t) * mf_dtype_bytes(t->dtype); }

static int write_raw(const char *stem, const char *ext, mf_model *m, int input)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s", stem, ext);
    FILE *f = fopen(path, "wb");
    int ok = f != NULL;
    if (input) {
        const mf_tensor *t = mf_model_input(m, 0);
        ok = ok && fwrite(t->data, 1, tensor_bytes(t), f) == tensor_bytes(t);
    } else {
        for (int i = 0; ok && i < mf_model_output_count(m); i++) {
            const mf_tensor *t = mf_model_output(m, i);
            ok = fwrite(t->data, 1, tensor_bytes(t), f) == tensor_bytes(t);
        }
    }
    if (f && fclose(f) != 0) ok = 0;
    if (!ok) fprintf(stderr, "detect_dump: cannot write %s\n", path);
    return !ok;
}

int main(int argc, char **argv)
{
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: detect_dump MODEL IMAGE LONG_SIDE SCORE_THRESHOLD NMS_THRESHOLD [RAW]\n");
        return 2;
    }
    mf_mapped_file file;
    mf_image img;
    int err = mf_map_file(argv[1], &file);
    if (err) {
        fprintf(stderr, "detect_dump: %s: %s\n", argv[1], mf_status_str(err));
        return 1;
    }
    err = mf_image_load(argv[2], &img);
    if (err) {
        fprintf(stderr, "detect_dump: %s: %s\n", argv[2], mf_status_str(err));
        return 1;
    }
    mf_detector det;
    mf_detect_options opt = mf_detect_default_options();
    opt.score_threshold = strtof(argv[4], NULL);
    opt.nms_threshold = strtof(argv[5], NULL);
    int32_t nw, nh;
    mf_detector_input_size(img.width, img.height, atoi(argv[3]), &nw, &nh);
    size_t bytes = 0;
    void *ws = NULL, *arena = NULL;
    static mf_face faces[MAX_FACES];
    err = mf_detector_open(&det, file.data, file.size);
    if (!err) err = (ws = aligned(mf_detector_workspace_bytes(&det))) ? MF_OK : MF_ENOMEM;
    if (!err) err = mf_detector_plan(&det, nw, nh, ws, mf_detector_workspace_bytes(&det), &bytes);
    if (!err) err = (arena = aligned(bytes)) ? MF_OK : MF_ENOMEM;
    if (!err) err = mf_detector_bind(&det, arena, bytes);
    /* the input as mf_detect builds it, written before the run reuses its bytes */
    if (!err && argc == 7 && det.arch == MF_DETECTOR_YUNET) {
        mf_frame frame;
        err = mf_frame_from_image(&img, &frame);
        if (!err) err = mf_yunet_preprocess(&det, &frame);
        if (!err && write_raw(argv[6], ".in", &det.model, 1)) return 1;
    }
    int found = err ? err : mf_detect(&det, &img, &opt, faces, MAX_FACES);
    if (found < 0) {
        fprintf(stderr, "detect_dump: %s: %s\n", argv[2], mf_status_str(found));
        return 1;
    }
    if (found > MAX_FACES) found = MAX_FACES;
    if (argc == 7 && write_raw(argv[6], ".out", &det.model, 0)) return 1;
    printf("{\"net\":[%d,%d],\"faces\":[", nw, nh);
    for (int i = 0; i < found; i++) {
        const mf_face *f = &faces[i];
        printf("%s{\"box\":[%.9g,%.9g,%.9g,%.9g],\"score\":%.9g,\"landmarks\":[", i ? "," : "", f->box[0], f->box[1],
               f->box[2], f->box[3], f->score);
        for (int k = 0; k < 5; k++) printf("%s[%.9g,%.9g]", k ? "," : "", f->landmarks[2 * k], f->landmarks[2 * k + 1]);
        printf("]}");
    }
    printf("]}\n");
    free(arena);
    free(ws);
    mf_image_free(&img);
    mf_unmap_file(&file);
    return 0;
}
