/* mf_detect_frame, mf_liveness_check_frame and mf_align_face_frame on camera
 * frames made from multiface photos, rows padded (int8 models: RGB565 both
 * byte orders, YUYV, UYVY, NV12, BGR888, GRAY8; float32 models: RGB565, YUYV,
 * NV12): each must equal, bit for bit, the image call on the frame first
 * converted with mf_frame_to_image (models from build/models). An RGB888 frame must equal mf_detect on the
 * image itself. Skips when the models or the photos are absent. */
#include "mf_test.h"
#include "mcuface/mf_detect.h"
#include "mcuface/mf_frame.h"
#include "mcuface/mf_liveness.h"
#include "mcuface/mf_recognize.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_posix_file.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FACES 64
#define LIVENESS_FACES 3
#define PAD 6

static char model_dir[4096];
static void *aligned(size_t n) { return aligned_alloc(16, (n + 15) / 16 * 16 + 16); }

typedef struct models {
    mf_mapped_file files[3];
    mf_detector det;
    mf_liveness lv;
    void *det_ws, *lv_ws, *lv_arena;
} models;

static int map_model(const char *name, const char *suffix, mf_mapped_file *f)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s%s.mfm", model_dir, name, suffix);
    return mf_map_file(path, f);
}

static int open_models(models *m, const char *suffix)
{
    memset(m, 0, sizeof *m);
    if (map_model("retinaface_mnet025", suffix, &m->files[0]) || map_model("minifasnet_v2", suffix, &m->files[1]) ||
        map_model("minifasnet_v1se", suffix, &m->files[2]))
        return MF_ENOTFOUND;
    const void *blobs[2] = {m->files[1].data, m->files[2].data};
    size_t sizes[2] = {m->files[1].size, m->files[2].size}, arena = 0;
    int err = mf_detector_open(&m->det, m->files[0].data, m->files[0].size);
    if (!err) err = mf_liveness_open(&m->lv, blobs, sizes, 2);
    if (err) return err;
    m->det_ws = aligned(mf_detector_workspace_bytes(&m->det));
    m->lv_ws = aligned(mf_liveness_workspace_bytes(&m->lv));
    err = mf_liveness_plan(&m->lv, m->lv_ws, mf_liveness_workspace_bytes(&m->lv), &arena);
    if (!err) err = mf_liveness_bind(&m->lv, m->lv_arena = aligned(arena), arena);
    return err;
}

static void close_models(models *m)
{
    free(m->det_ws);
    free(m->lv_ws);
    free(m->lv_arena);
    for (int i = 0; i < 3; i++)
        if (m->files[i].data) mf_unmap_file(&m->files[i]);
}

static uint8_t clamp8(int v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }

/* BT.601 limited-range encoder in integers (any encoder will do: the test
 * needs camera-like YUV, the decoder is what is checked). */
static void rgb_to_yuv(const uint8_t *p, int *y, int *u, int *v)
{
    *y = (66 * p[0] + 129 * p[1] + 25 * p[2] + 128 + 4096) >> 8;
    *u = (-38 * p[0] - 74 * p[1] + 112 * p[2] + 128 + 32768) >> 8;
    *v = (112 * p[0] - 94 * p[1] - 18 * p[2] + 128 + 32768) >> 8;
}

/* Encodes the RGB888 image SRC (even sides) as FMT into BUF with PAD bytes of row padding. */
static int encode(const mf_image *src, mf_pixel_format fmt, uint8_t *buf, size_t cap, mf_frame *out)
{
    int32_t w = src->width, h = src->height, stride = w * mf_pixel_format_bytes(fmt) + PAD;
    size_t size = (size_t)stride * (size_t)(fmt == MF_PIXEL_NV12 ? h + h / 2 : h);
    if (size > cap) return MF_ENOMEM;
    memset(buf, 0x77, size);
    for (int32_t y = 0; y < h; y++) {
        uint8_t *row = buf + (size_t)y * (size_t)stride;
        for (int32_t x = 0; x < w; x++) {
            const uint8_t *p = src->data + (size_t)y * (size_t)src->stride + (size_t)x * 3;
            unsigned word = (unsigned)(p[0] >> 3) << 11 | (unsigned)(p[1] >> 2) << 5 | (unsigned)(p[2] >> 3);
            int yy, u, v;
            rgb_to_yuv(p, &yy, &u, &v);
            switch (fmt) {
            case MF_PIXEL_BGR888: row[x * 3] = p[2], row[x * 3 + 1] = p[1], row[x * 3 + 2] = p[0]; break;
            case MF_PIXEL_RGB565: row[x * 2] = (uint8_t)word, row[x * 2 + 1] = (uint8_t)(word >> 8); break;
            case MF_PIXEL_RGB565_BE: row[x * 2] = (uint8_t)(word >> 8), row[x * 2 + 1] = (uint8_t)word; break;
            case MF_PIXEL_GRAY8: row[x] = clamp8((77 * p[0] + 150 * p[1] + 29 * p[2] + 128) >> 8); break;
            case MF_PIXEL_YUYV: /* chroma of the pair's left pixel */
                row[x * 2] = clamp8(yy);
                if (!(x & 1)) row[x * 2 + 1] = clamp8(u), row[x * 2 + 3] = clamp8(v);
                break;
            case MF_PIXEL_UYVY:
                row[x * 2 + 1] = clamp8(yy);
                if (!(x & 1)) row[x * 2] = clamp8(u), row[x * 2 + 2] = clamp8(v);
                break;
            case MF_PIXEL_NV12: {
                row[x] = clamp8(yy);
                uint8_t *uv = buf + (size_t)stride * (size_t)h + (size_t)(y / 2) * (size_t)stride + (size_t)(x & ~1);
                if (!(x & 1) && !(y & 1)) uv[0] = clamp8(u), uv[1] = clamp8(v);
                break;
            }
            default: return MF_EINVAL;
            }
        }
    }
    return mf_frame_init(out, fmt, buf, size, w, h, stride);
}

static mf_face faces_image[MAX_FACES], faces_frame[MAX_FACES];
static uint8_t aligned_image[112 * 112 * 3], aligned_frame[112 * 112 * 3];
static uint8_t *frame_buf, *converted_px;
static size_t frame_cap;
static int compared_faces, compared_frames;

static void check_frame_equals_converted(models *m, const mf_frame *frame, const char *what)
{
    mf_image conv = {converted_px, frame->width, frame->height, frame->width * 3, 3};
    MF_CHECK_EQ_INT(mf_frame_to_image(frame, &conv), MF_OK);
    mf_detect_options opt = mf_detect_default_options();
    memset(faces_image, 0, sizeof faces_image);
    memset(faces_frame, 0, sizeof faces_frame);
    int n_image = mf_detect(&m->det, &conv, &opt, faces_image, MAX_FACES);
    int n_frame = mf_detect_frame(&m->det, frame, &opt, faces_frame, MAX_FACES);
    MF_CHECK(n_image > 0);
    MF_CHECK_EQ_INT(n_frame, n_image);
    if (n_frame != n_image || n_image <= 0) return;
    int n = n_image < MAX_FACES ? n_image : MAX_FACES;
    if (memcmp(faces_image, faces_frame, (size_t)n * sizeof(mf_face)) != 0) {
        fprintf(stderr, "%s: detections differ\n", what);
        MF_CHECK(0);
    }
    for (int k = 0; k < n && k < LIVENESS_FACES; k++) {
        mf_liveness_result a, b;
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        MF_CHECK_EQ_INT(mf_liveness_check(&m->lv, &conv, &faces_image[k], &a), MF_OK);
        MF_CHECK_EQ_INT(mf_liveness_check_frame(&m->lv, frame, &faces_image[k], &b), MF_OK);
        if (memcmp(&a, &b, sizeof a) != 0) {
            fprintf(stderr, "%s: liveness of face %d differs (%.6f vs %.6f)\n", what, k, a.score, b.score);
            MF_CHECK(0);
        }
        mf_image ai = {aligned_image, 112, 112, 336, 3}, af = {aligned_frame, 112, 112, 336, 3};
        MF_CHECK_EQ_INT(mf_align_face(&conv, faces_image[k].landmarks, &ai), MF_OK);
        MF_CHECK_EQ_INT(mf_align_face_frame(frame, faces_image[k].landmarks, &af), MF_OK);
        if (memcmp(aligned_image, aligned_frame, sizeof aligned_image) != 0) {
            fprintf(stderr, "%s: alignment of face %d differs\n", what, k);
            MF_CHECK(0);
        }
        compared_faces++;
    }
    compared_frames++;
    printf("  %-26s %2d faces, top score %.4f: detect, liveness (%d faces), align equal\n", what, n_image,
           faces_image[0].score, n < LIVENESS_FACES ? n : LIVENESS_FACES);
}

static const char *photos[] = {"data/multiface/1.jpg", "data/multiface/12.jpg"};
static const struct { mf_pixel_format fmt; const char *name; } formats[] = {
    {MF_PIXEL_RGB565, "RGB565"}, {MF_PIXEL_YUYV, "YUYV"},     {MF_PIXEL_NV12, "NV12"},
    {MF_PIXEL_RGB565_BE, "RGB565_BE"}, {MF_PIXEL_UYVY, "UYVY"}, {MF_PIXEL_BGR888, "BGR888"},
    {MF_PIXEL_GRAY8, "GRAY8"}};

static void run_models(const char *suffix)
{
    models m;
    int err = open_models(&m, suffix);
    MF_CHECK_EQ_INT(err, MF_OK);
    if (err) {
        close_models(&m);
        return;
    }
    for (size_t p = 0; p < sizeof photos / sizeof photos[0]; p++) {
        mf_image loaded, img;
        MF_CHECK_EQ_INT(mf_image_load(mf_test_shared_path(photos[p]), &loaded), MF_OK);
        if (!loaded.data) continue;
        /* even sides, as the 4:2:x formats need */
        MF_CHECK_EQ_INT(mf_image_crop_view(&loaded, 0, 0, loaded.width & ~1, loaded.height & ~1, &img), MF_OK);
        int32_t nw, nh;
        size_t arena_bytes = 0;
        mf_detector_input_size(img.width, img.height, 320, &nw, &nh);
        MF_CHECK_EQ_INT(mf_detector_plan(&m.det, nw, nh, m.det_ws, mf_detector_workspace_bytes(&m.det), &arena_bytes),
                        MF_OK);
        void *arena = aligned(arena_bytes);
        MF_CHECK_EQ_INT(mf_detector_bind(&m.det, arena, arena_bytes), MF_OK);
        /* the RGB888 frame over the image is the image call itself */
        mf_frame rgb_frame;
        MF_CHECK_EQ_INT(mf_frame_from_image(&img, &rgb_frame), MF_OK);
        mf_detect_options opt = mf_detect_default_options();
        int a = mf_detect(&m.det, &img, &opt, faces_image, MAX_FACES);
        int b = mf_detect_frame(&m.det, &rgb_frame, &opt, faces_frame, MAX_FACES);
        MF_CHECK(a > 0 && a == b);
        if (a > 0 && a == b) MF_CHECK(memcmp(faces_image, faces_frame, (size_t)(a < MAX_FACES ? a : MAX_FACES) *
                                                                       sizeof(mf_face)) == 0);
        printf("%s%s %dx%d (detector %dx%d):\n", photos[p], suffix, img.width, img.height, nw, nh);
        /* every format with the int8 models (what the firmware runs); the float32 run takes the three
         * camera formats of the issue, to keep the sanitizer build's time down */
        size_t format_count = suffix[0] ? sizeof formats / sizeof formats[0] : 3;
        for (size_t f = 0; f < format_count; f++) {
            mf_frame frame;
            MF_CHECK_EQ_INT(encode(&img, formats[f].fmt, frame_buf, frame_cap, &frame), MF_OK);
            char what[64];
            snprintf(what, sizeof what, "%s%s", formats[f].name, suffix);
            check_frame_equals_converted(&m, &frame, what);
        }
        /* bad frames are refused before any work */
        mf_frame bad = rgb_frame;
        bad.size = 10;
        MF_CHECK_EQ_INT(mf_detect_frame(&m.det, &bad, &opt, faces_frame, MAX_FACES), MF_EINVAL);
        MF_CHECK_EQ_INT(mf_detect_frame(&m.det, NULL, &opt, faces_frame, MAX_FACES), MF_EINVAL);
        mf_liveness_result r;
        MF_CHECK_EQ_INT(mf_liveness_check_frame(&m.lv, &bad, &faces_image[0], &r), MF_EINVAL);
        MF_CHECK_EQ_INT(mf_liveness_check_frame(&m.lv, NULL, &faces_image[0], &r), MF_EINVAL);
        free(arena);
        mf_image_free(&loaded);
    }
    close_models(&m);
}

static void test_float_models(void) { run_models(""); }
static void test_int8_models(void) { run_models("_int8"); }

int main(void)
{
    const char *build = getenv("MCUFACE_BUILD");
    snprintf(model_dir, sizeof model_dir, "%s/models", build ? build : "build");
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/retinaface_mnet025_int8.mfm", model_dir);
    FILE *f = fopen(probe, "rb");
    if (!f) mf_test_skip("no build/models/retinaface_mnet025_int8.mfm (scripts/build.sh converts the models)");
    fclose(f);
    f = fopen(mf_test_shared_path(photos[0]), "rb");
    if (!f) mf_test_skip("no ../shared/data/multiface photos");
    fclose(f);
    frame_cap = (size_t)4096 * 4096 * 3;
    frame_buf = malloc(frame_cap);
    converted_px = malloc(frame_cap);
    if (!frame_buf || !converted_px) return 1;
    MF_RUN(test_float_models);
    MF_RUN(test_int8_models);
    printf("%d frames, %d faces compared\n", compared_frames, compared_faces);
    free(frame_buf);
    free(converted_px);
    return mf_test_summary();
}
