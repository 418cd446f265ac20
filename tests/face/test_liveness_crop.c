/* Liveness: the Silent-Face crop rule against boxes computed by hand, and the
 * API's argument and state checks (with the converted models when present). */
#include "mf_test.h"
#include "mcuface/mf_liveness.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_posix_file.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void expect_crop(int32_t w, int32_t h, float x1, float y1, float x2, float y2, double scale, int32_t cx,
                        int32_t cy, int32_t cw, int32_t ch)
{
    const float box[4] = {x1, y1, x2, y2};
    int32_t crop[4] = {-1, -1, -1, -1};
    int err = mf_liveness_crop_box(w, h, box, scale, crop);
    MF_CHECK_EQ_INT(err, MF_OK);
    MF_CHECK_EQ_INT(crop[0], cx);
    MF_CHECK_EQ_INT(crop[1], cy);
    MF_CHECK_EQ_INT(crop[2], cw);
    MF_CHECK_EQ_INT(crop[3], ch);
}

/* Each case worked out on paper from CropImage._get_new_box (see the comments). */
static void test_crop_rule(void)
{
    /* Inside, top clipped: box -> (x 100, y 50, w 100, h 130); 2.7x = 270 x 351 about (150, 115):
     * left 15, right 285; top -60.5 -> shifted down to 0, bottom 351. */
    expect_crop(640, 480, 100.7f, 50.2f, 199.9f, 179.6f, 2.7, 15, 0, 271, 352);
    /* Near the right and bottom borders: (560, 400, 61, 71) -> 164.7 x 191.7 about (590.5, 435.5):
     * right 672.85 > 639 shifts left to 474.3; bottom 531.35 > 479 shifts top to 287.3. */
    expect_crop(640, 480, 560.0f, 400.0f, 620.0f, 470.0f, 2.7, 474, 287, 166, 193);
    /* Scale capped: 200 x 100 image, (50, 10, 100, 80) at 4.0 -> min(99/80, 199/100) = 1.2375:
     * 123.75 x 99 about (100, 50): left 38.125, right 161.875; top 0.5, bottom 99.5 -> 0 .. 99. */
    expect_crop(200, 100, 50.0f, 10.0f, 149.0f, 89.0f, 4.0, 38, 0, 124, 100);
    /* Box reaching outside on the left and top: int() truncates toward zero, x -20, y -10,
     * w int(101) = 101, h int(120.9) = 120; 272.7 x 324 about (30.5, 50) shifted to (0, 0). */
    expect_crop(640, 480, -20.5f, -10.0f, 79.5f, 109.9f, 2.7, 0, 0, 273, 325);
    /* The whole image: scale capped at 479/480, crop 638.67 x 479 shifted inside -> everything. */
    expect_crop(640, 480, 0.0f, 0.0f, 639.0f, 479.0f, 4.0, 0, 0, 640, 480);
    /* A 1x1 image: the cap is 0, the crop is the one pixel. */
    expect_crop(1, 1, 0.0f, 0.0f, 0.0f, 0.0f, 2.7, 0, 0, 1, 1);
}

static void test_crop_rejects(void)
{
    int32_t crop[4];
    const float ok[4] = {10, 10, 50, 50};
    const float narrow[4] = {10, 10, 9.5f, 50};   /* w = int(0.5) = 0 */
    const float flat[4] = {10, 10, 50, 8};        /* h < 1 */
    const float nan_box[4] = {10, NAN, 50, 50};
    const float huge[4] = {10, 10, 3e9f, 50};
    MF_CHECK_EQ_INT(mf_liveness_crop_box(640, 480, narrow, 2.7, crop), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_crop_box(640, 480, flat, 2.7, crop), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_crop_box(640, 480, nan_box, 2.7, crop), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_crop_box(640, 480, huge, 2.7, crop), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_crop_box(0, 480, ok, 2.7, crop), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_crop_box(640, MF_IMAGE_MAX_SIDE + 1, ok, 2.7, crop), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_crop_box(640, 480, ok, 0.0, crop), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_crop_box(640, 480, ok, NAN, crop), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_crop_box(640, 480, NULL, 2.7, crop), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_crop_box(640, 480, ok, 2.7, NULL), MF_EINVAL);

    /* mf_liveness_crop: gray images and a wrong destination size are refused. */
    static uint8_t pixels[64 * 48 * 3], out[80 * 80 * 3];
    mf_image img, gray, dst, small;
    MF_CHECK_EQ_INT(mf_image_init(&img, pixels, sizeof pixels, 64, 48, 3), MF_OK);
    MF_CHECK_EQ_INT(mf_image_init(&gray, pixels, sizeof pixels, 64, 48, 1), MF_OK);
    MF_CHECK_EQ_INT(mf_image_init(&dst, out, sizeof out, 80, 80, 3), MF_OK);
    MF_CHECK_EQ_INT(mf_image_init(&small, out, sizeof out, 40, 40, 3), MF_OK);
    mf_face face;
    memset(&face, 0, sizeof face);
    face.box[0] = 20;
    face.box[1] = 10;
    face.box[2] = 40;
    face.box[3] = 35;
    int32_t c[4];
    MF_CHECK_EQ_INT(mf_liveness_crop(&gray, &face, 2.7, &dst, c), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_crop(&img, &face, 2.7, &small, c), MF_EINVAL);
    /* A flat image crops to the same flat 80x80. */
    memset(pixels, 77, sizeof pixels);
    MF_CHECK_EQ_INT(mf_liveness_crop(&img, &face, 2.7, &dst, c), MF_OK);
    int flat_ok = 1;
    for (size_t i = 0; i < sizeof out; i++) flat_ok &= out[i] == 77;
    MF_CHECK(flat_ok);
    /* box (20, 10, 21, 26) at 2.7 capped by 47/26 = 1.81: 37.96 x 47 about (30.5, 23) -> (11, 0, 39, 48) */
    MF_CHECK_EQ_INT(c[0], 11);
    MF_CHECK_EQ_INT(c[1], 0);
    MF_CHECK_EQ_INT(c[2], 39);
    MF_CHECK_EQ_INT(c[3], 48);
}

static int map_model(const char *name, mf_mapped_file *f)
{
    const char *build = getenv("MCUFACE_BUILD");
    char path[4096];
    snprintf(path, sizeof path, "%s/models/%s.mfm", build ? build : "build", name);
    return mf_map_file(path, f);
}

/* Open / plan / bind / check states and errors with the real model files. */
static void test_api_states(void)
{
    mf_mapped_file v2, v1se, det;
    if (map_model("minifasnet_v2", &v2) || map_model("minifasnet_v1se", &v1se)) {
        printf("  models not converted (scripts/build.sh): API state checks skipped\n");
        return;
    }
    mf_liveness lv;
    const void *blobs[2] = {v2.data, v1se.data};
    size_t sizes[2] = {v2.size, v1se.size};
    MF_CHECK_EQ_INT(mf_liveness_open(NULL, blobs, sizes, 2), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_open(&lv, blobs, sizes, 0), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_open(&lv, blobs, sizes, 3), MF_EINVAL);
    if (map_model("retinaface_mnet025", &det) == MF_OK) {
        const void *wrong[1] = {det.data};
        size_t wrong_size[1] = {det.size};
        MF_CHECK_EQ_INT(mf_liveness_open(&lv, wrong, wrong_size, 1), MF_EUNSUPPORTED);
        mf_unmap_file(&det);
    }
    MF_CHECK_EQ_INT(mf_liveness_open(&lv, blobs, sizes, 2), MF_OK);
    MF_CHECK_NEAR(mf_liveness_crop_scale(&lv, 0), 2.7, 0);
    MF_CHECK_NEAR(mf_liveness_crop_scale(&lv, 1), 4.0, 0);
    MF_CHECK_NEAR(mf_liveness_threshold(&lv), MF_LIVENESS_DEFAULT_THRESHOLD, 0);
    MF_CHECK_EQ_INT(mf_liveness_set_threshold(&lv, 1.5f), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_set_threshold(&lv, NAN), MF_EINVAL);

    static uint8_t pixels[120 * 100 * 3];
    for (size_t i = 0; i < sizeof pixels; i++) pixels[i] = (uint8_t)(i * 7 + i / 360);
    mf_image img;
    MF_CHECK_EQ_INT(mf_image_init(&img, pixels, sizeof pixels, 120, 100, 3), MF_OK);
    mf_face face;
    memset(&face, 0, sizeof face);
    face.box[0] = 40;
    face.box[1] = 30;
    face.box[2] = 80;
    face.box[3] = 80;
    mf_liveness_result r;
    MF_CHECK_EQ_INT(mf_liveness_check(&lv, &img, &face, &r), MF_ESTATE);

    size_t ws_bytes = mf_liveness_workspace_bytes(&lv), arena_bytes = 0;
    MF_CHECK(ws_bytes > 0);
    uint8_t *ws = aligned_alloc(16, (ws_bytes + 31) / 16 * 16);
    MF_CHECK_EQ_INT(mf_liveness_plan(&lv, ws, ws_bytes - 1, &arena_bytes), MF_ENOMEM);
    MF_CHECK_EQ_INT(mf_liveness_plan(&lv, ws + 1, ws_bytes, &arena_bytes), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_plan(&lv, ws, ws_bytes, &arena_bytes), MF_OK);
    MF_CHECK(arena_bytes >= 80 * 80 * 3);
    uint8_t *arena = aligned_alloc(16, (arena_bytes + 15) / 16 * 16);
    MF_CHECK_EQ_INT(mf_liveness_bind(&lv, arena, arena_bytes - 16), MF_ENOMEM);
    MF_CHECK_EQ_INT(mf_liveness_bind(&lv, arena, arena_bytes), MF_OK);
    MF_CHECK(mf_liveness_stats(&lv, 0) && mf_liveness_stats(&lv, 0)->macs > 0);
    MF_CHECK(mf_liveness_stats(&lv, 2) == NULL);

    MF_CHECK_EQ_INT(mf_liveness_check(&lv, &img, &face, &r), MF_OK);
    MF_CHECK_EQ_INT(r.model_count, 2);
    MF_CHECK(r.score >= 0.0f && r.score <= 1.0f);
    MF_CHECK_NEAR(r.score, (r.model_scores[0] + r.model_scores[1]) / 2, 1e-6);
    MF_CHECK_EQ_INT(r.live, r.score >= MF_LIVENESS_DEFAULT_THRESHOLD);
    /* The decision follows the threshold; the score does not move. */
    float score = r.score;
    MF_CHECK_EQ_INT(mf_liveness_set_threshold(&lv, 0.0f), MF_OK);
    MF_CHECK_EQ_INT(mf_liveness_check(&lv, &img, &face, &r), MF_OK);
    MF_CHECK_EQ_INT(r.live, 1);
    MF_CHECK_NEAR(r.score, score, 0);
    MF_CHECK_EQ_INT(mf_liveness_set_threshold(&lv, 1.0f), MF_OK);
    MF_CHECK_EQ_INT(mf_liveness_check(&lv, &img, &face, &r), MF_OK);
    MF_CHECK_EQ_INT(r.live, score >= 1.0f);
    /* Bad faces are refused with a clear status, not run. */
    face.box[2] = face.box[0] - 5;
    MF_CHECK_EQ_INT(mf_liveness_check(&lv, &img, &face, &r), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_liveness_check(&lv, NULL, &face, &r), MF_EINVAL);
    free(arena);
    free(ws);
    mf_unmap_file(&v2);
    mf_unmap_file(&v1se);
}

int main(void)
{
    MF_RUN(test_crop_rule);
    MF_RUN(test_crop_rejects);
    MF_RUN(test_api_states);
    return mf_test_summary();
}
