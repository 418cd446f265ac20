/* Vision functions against OpenCV outputs on synthetic inputs
 * (tests/vision/fixtures/vision_opencv.bin, made by
 * tools/fixtures/make_vision_fixtures.py). Prints the largest per-channel
 * difference for each function; the contract is <= 1. */
#include "mf_test.h"
#include "mcuface/mf_image.h"
#include "mcuface/mf_status.h"
#include "vision/resize.h"
#include "vision/similarity.h"
#include "vision/warp.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURE "tests/vision/fixtures/vision_opencv.bin"

typedef struct reader {
    const uint8_t *p, *end;
    int ok;
} reader;

static const uint8_t *take(reader *r, size_t n)
{
    if (!r->ok || (size_t)(r->end - r->p) < n) {
        r->ok = 0;
        return NULL;
    }
    const uint8_t *at = r->p;
    r->p += n;
    return at;
}

static int32_t take_i32(reader *r)
{
    const uint8_t *b = take(r, 4);
    return b ? (int32_t)((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24) : 0;
}

static void take_f64(reader *r, double *out, int n)
{
    const uint8_t *b = take(r, (size_t)n * 8);
    if (b) memcpy(out, b, (size_t)n * 8); /* fixture is little-endian, as the host */
}

static void take_f32(reader *r, float *out, int n)
{
    const uint8_t *b = take(r, (size_t)n * 4);
    if (b) memcpy(out, b, (size_t)n * 4);
}

/* Largest |a - b| over N bytes; also counts differing bytes. */
static int max_diff(const uint8_t *a, const uint8_t *b, size_t n, size_t *differing)
{
    int worst = 0;
    *differing = 0;
    for (size_t i = 0; i < n; i++) {
        int d = abs((int)a[i] - (int)b[i]);
        if (d) (*differing)++;
        if (d > worst) worst = d;
    }
    return worst;
}

static int worst_resize, worst_crop, worst_warp[2];
static double worst_umeyama, worst_lmeds;
static int records_seen[5];

static void check_resize(reader *r, int crop)
{
    int32_t sw = take_i32(r), sh = take_i32(r), x = 0, y = 0, w = 0, h = 0, cn = 3;
    if (crop) {
        x = take_i32(r), y = take_i32(r), w = take_i32(r), h = take_i32(r);
    }
    int32_t dw = take_i32(r), dh = take_i32(r);
    if (!crop) cn = take_i32(r);
    const uint8_t *src_px = take(r, (size_t)sw * sh * cn), *want = take(r, (size_t)dw * dh * cn);
    MF_CHECK(r->ok);
    if (!r->ok) return;
    uint8_t *got = calloc((size_t)dw * dh * cn, 1);
    mf_image src = {(uint8_t *)src_px, sw, sh, sw * cn, cn}, dst = {got, dw, dh, dw * cn, cn};
    int err = crop ? mf_crop_resize(&src, x, y, w, h, &dst) : mf_resize_bilinear(&src, &dst);
    MF_CHECK_EQ_INT(err, MF_OK);
    size_t differing;
    int d = max_diff(got, want, (size_t)dw * dh * cn, &differing);
    printf("  %s %dx%dx%d -> %dx%d: max diff %d, %zu of %d values differ\n", crop ? "crop_resize" : "resize", sw, sh,
           cn, dw, dh, d, differing, dw * dh * cn);
    MF_CHECK(d <= 1);
    int *worst = crop ? &worst_crop : &worst_resize;
    if (d > *worst) *worst = d;
    free(got);
}

static void check_warp(reader *r)
{
    int32_t sw = take_i32(r), sh = take_i32(r), dw = take_i32(r), dh = take_i32(r), border = take_i32(r);
    double m[6];
    take_f64(r, m, 6);
    const uint8_t *src_px = take(r, (size_t)sw * sh * 3), *want = take(r, (size_t)dw * dh * 3);
    MF_CHECK(r->ok && (border == 0 || border == 1));
    if (!r->ok || (border != 0 && border != 1)) return;
    uint8_t *got = calloc((size_t)dw * dh * 3, 1);
    mf_image src = {(uint8_t *)src_px, sw, sh, sw * 3, 3}, dst = {got, dw, dh, dw * 3, 3};
    MF_CHECK_EQ_INT(mf_warp_affine(&src, m, border ? MF_BORDER_REPLICATE : MF_BORDER_ZERO, &dst), MF_OK);
    size_t differing;
    int d = max_diff(got, want, (size_t)dw * dh * 3, &differing);
    printf("  warp %s %dx%d -> %dx%d: max diff %d, %zu of %d values differ\n", border ? "replicate" : "zero", sw, sh,
           dw, dh, d, differing, dw * dh * 3);
    MF_CHECK(d <= 1);
    if (d > worst_warp[border]) worst_warp[border] = d;
    free(got);
}

static double matrix_diff(const double *a, const double *b)
{
    double worst = 0;
    for (int i = 0; i < 6; i++) worst = fmax(worst, fabs(a[i] - b[i]));
    return worst;
}

static void check_similarity(reader *r)
{
    int32_t n = take_i32(r), exact = take_i32(r);
    MF_CHECK(r->ok && n >= 2 && n <= 64);
    if (!r->ok || n < 2 || n > 64) return;
    float src[128], dst[128];
    double umeyama[6], lmeds[6], got[6];
    take_f32(r, src, 2 * n);
    take_f32(r, dst, 2 * n);
    take_f64(r, umeyama, 6);
    take_f64(r, lmeds, 6);
    MF_CHECK(r->ok);
    if (!r->ok) return;
    MF_CHECK_EQ_INT(mf_similarity_estimate(src, dst, n, got), MF_OK);
    /* Relative to the matrix magnitude: translations reach a few hundred. */
    double du = matrix_diff(got, umeyama);
    MF_CHECK(du < 1e-7 * (1 + fabs(umeyama[2]) + fabs(umeyama[5])));
    if (du > worst_umeyama) worst_umeyama = du;
    if (exact && !isnan(lmeds[0])) {
        double dl = matrix_diff(got, lmeds);
        MF_CHECK(dl < 1e-3);
        if (dl > worst_lmeds) worst_lmeds = dl;
    }
}

static void test_fixtures(void)
{
    size_t size = 0;
    uint8_t *blob = mf_test_read_file(FIXTURE, &size);
    MF_CHECK(blob != NULL);
    if (!blob) return;
    reader file = {blob, blob + size, 1};
    const uint8_t *magic = take(&file, 4);
    MF_CHECK(magic && !memcmp(magic, "MFVX", 4));
    MF_CHECK_EQ_INT(take_i32(&file), 1);
    int32_t count = take_i32(&file);
    for (int32_t i = 0; i < count && file.ok; i++) {
        int32_t kind = take_i32(&file), bytes = take_i32(&file);
        const uint8_t *payload = take(&file, (size_t)(uint32_t)bytes);
        if (!payload) break;
        reader r = {payload, payload + bytes, 1};
        if (kind == 1) check_resize(&r, 0);
        else if (kind == 2) check_resize(&r, 1);
        else if (kind == 3) check_warp(&r);
        else if (kind == 4) check_similarity(&r);
        else MF_CHECK(!"unknown fixture record");
        MF_CHECK(r.ok && r.p == r.end);
        if (kind >= 1 && kind <= 4) records_seen[kind]++;
    }
    MF_CHECK(file.ok && file.p == file.end);
    for (int k = 1; k <= 4; k++) MF_CHECK(records_seen[k] > 0);
    printf("max |diff| vs OpenCV: resize %d, crop_resize %d, warp zero %d, warp replicate %d\n", worst_resize,
           worst_crop, worst_warp[0], worst_warp[1]);
    printf("similarity: max |M - numpy Umeyama| %.3g, max |M - cv2 LMEDS| (exact sets) %.3g\n", worst_umeyama,
           worst_lmeds);
    free(blob);
}

int main(void)
{
    MF_RUN(test_fixtures);
    return mf_test_summary();
}
