/* The samplers that read camera frames directly (resize into the detector's
 * float / int8 tensor, the liveness crop resize, the alignment warp) must give
 * bit for bit what the image samplers give on the frame first converted with
 * mf_frame_to_image. Random frames of every format, padded strides, odd sizes
 * where the format allows them, up- and downscaling, both warp borders. */
#include "mf_test.h"
#include "mcuface/mf_frame.h"
#include "mcuface/mf_recognize.h"
#include "mcuface/mf_status.h"
#include "vision/resize.h"
#include "vision/resize_to_tensor.h"
#include "vision/warp.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_W 96
#define MAX_H 72

static uint32_t seed = 12345u;
static uint32_t next_random(void)
{
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
}

typedef struct test_frame {
    mf_frame frame;
    uint8_t bytes[MAX_W * 3 * MAX_H * 2 + 64];
    uint8_t rgb_px[MAX_W * MAX_H * 3];
    mf_image rgb; /* the frame converted by mf_frame_to_image */
} test_frame;

/* A random W x H frame of FMT with PAD bytes of row padding, and its conversion. */
static int make_frame(test_frame *t, mf_pixel_format fmt, int32_t w, int32_t h, int32_t pad)
{
    for (size_t i = 0; i < sizeof t->bytes; i++) t->bytes[i] = (uint8_t)next_random();
    int32_t stride = w * mf_pixel_format_bytes(fmt) + pad;
    size_t size = (size_t)stride * (size_t)(fmt == MF_PIXEL_NV12 ? h + h / 2 : h);
    int err = mf_frame_init(&t->frame, fmt, t->bytes, size, w, h, stride);
    if (err) return err;
    err = mf_image_init(&t->rgb, t->rgb_px, sizeof t->rgb_px, w, h, 3);
    return err ? err : mf_frame_to_image(&t->frame, &t->rgb);
}

static const mf_pixel_format formats[] = {MF_PIXEL_RGB888, MF_PIXEL_BGR888, MF_PIXEL_RGB565, MF_PIXEL_RGB565_BE,
                                          MF_PIXEL_YUYV,   MF_PIXEL_UYVY,   MF_PIXEL_NV12,   MF_PIXEL_GRAY8};
#define FORMAT_COUNT (int)(sizeof formats / sizeof formats[0])

static int subsampled(mf_pixel_format f) { return f == MF_PIXEL_YUYV || f == MF_PIXEL_UYVY || f == MF_PIXEL_NV12; }

static const int32_t sizes[][2] = {{64, 48}, {96, 72}, {37, 23}, {2, 2}};
#define SIZE_COUNT (int)(sizeof sizes / sizeof sizes[0])

/* Frame W x H for FMT: odd sizes rounded up to even where the format needs it. */
static void frame_size(mf_pixel_format fmt, int k, int32_t *w, int32_t *h)
{
    *w = sizes[k][0];
    *h = sizes[k][1];
    if (subsampled(fmt)) *w += *w & 1;
    if (fmt == MF_PIXEL_NV12) *h += *h & 1;
}

static test_frame tf;
static float tensor_frame[120 * 90 * 3], tensor_image[120 * 90 * 3];
static int8_t q_frame[120 * 90 * 3], q_image[120 * 90 * 3];

static void test_resize_to_tensor(void)
{
    static const int32_t outs[][2] = {{40, 30}, {120, 90}, {64, 48}, {1, 1}};
    static const float mean[3] = {104.0f, 117.0f, 123.0f}, unit[3] = {1, 1, 1}, odd_scale[3] = {0.5f, 0.25f, 2.0f};
    int cases = 0;
    for (int fi = 0; fi < FORMAT_COUNT; fi++)
        for (int k = 0; k < SIZE_COUNT; k++) {
            int32_t w, h;
            frame_size(formats[fi], k, &w, &h);
            MF_CHECK_EQ_INT(make_frame(&tf, formats[fi], w, h, k * 3), MF_OK);
            for (int o = 0; o < 4; o++) {
                int32_t dw = outs[o][0], dh = outs[o][1];
                size_t n = (size_t)dw * (size_t)dh * 3;
                int swap = o & 1;
                const float *scale = o == 2 ? odd_scale : unit;
                memset(tensor_frame, 0x11, sizeof tensor_frame);
                memset(tensor_image, 0x22, sizeof tensor_image);
                MF_CHECK_EQ_INT(mf_frame_resize_to_tensor_f32(&tf.frame, dw, dh, mean, scale, swap, tensor_frame), MF_OK);
                MF_CHECK_EQ_INT(mf_resize_to_tensor_f32(&tf.rgb, dw, dh, mean, scale, swap, tensor_image), MF_OK);
                MF_CHECK(memcmp(tensor_frame, tensor_image, n * sizeof(float)) == 0);
                memset(q_frame, 0x11, sizeof q_frame);
                memset(q_image, 0x22, sizeof q_image);
                MF_CHECK_EQ_INT(mf_frame_resize_to_tensor_s8(&tf.frame, dw, dh, mean, scale, swap, 0.93f, -3, q_frame),
                                MF_OK);
                MF_CHECK_EQ_INT(mf_resize_to_tensor_s8(&tf.rgb, dw, dh, mean, scale, swap, 0.93f, -3, q_image), MF_OK);
                MF_CHECK(memcmp(q_frame, q_image, n) == 0);
                cases++;
            }
        }
    printf("resize to tensor: %d cases (f32 and s8) equal\n", cases);
    /* bad frames and arguments */
    MF_CHECK_EQ_INT(make_frame(&tf, MF_PIXEL_YUYV, 8, 4, 0), MF_OK);
    mf_frame bad = tf.frame;
    bad.size -= 1;
    MF_CHECK_EQ_INT(mf_frame_resize_to_tensor_f32(&bad, 4, 4, mean, unit, 0, tensor_frame), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_frame_resize_to_tensor_f32(NULL, 4, 4, mean, unit, 0, tensor_frame), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_frame_resize_to_tensor_f32(&tf.frame, 0, 4, mean, unit, 0, tensor_frame), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_frame_resize_to_tensor_s8(&tf.frame, 4, 4, mean, unit, 0, 0.0f, 0, q_frame), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_frame_resize_to_tensor_s8(&tf.frame, 4, 4, mean, unit, 0, 1.0f, 200, q_frame), MF_EINVAL);
}

/* The resize-to-tensor rule written out per pixel, as cv2.resize(INTER_LINEAR)
 * on a float image: half-pixel centres in double, edge clamp, the float
 * lerps in cv2's order, then (v - mean) * scale, and for int8 r / q_scale
 * clamped to +-1000, lroundf, + zero point, saturated. */
static void plain_source(int32_t d, double ratio, int32_t size, int32_t *i0, int32_t *i1, float *frac)
{
    double s = ((double)d + 0.5) * ratio - 0.5;
    double fl = floor(s);
    int32_t i = (int32_t)fl;
    float f = (float)(s - fl);
    if (i < 0) { i = 0; f = 0.0f; }
    if (i >= size - 1) { i = size - 1; f = 0.0f; }
    *i0 = i;
    *i1 = i + 1 < size ? i + 1 : i;
    *frac = f;
}

static void plain_resize(const mf_image *src, int32_t dw, int32_t dh, const float mean[3], const float scale[3],
                         int swap, float q_scale, int32_t zp, float *out_f, int8_t *out_q)
{
    for (int32_t y = 0; y < dh; y++)
        for (int32_t x = 0; x < dw; x++) {
            int32_t x0, x1, y0, y1;
            float fx, fy;
            plain_source(x, (double)src->width / dw, src->width, &x0, &x1, &fx);
            plain_source(y, (double)src->height / dh, src->height, &y0, &y1, &fy);
            for (int c = 0; c < 3; c++) {
                const uint8_t *r0 = src->data + (size_t)y0 * src->stride, *r1 = src->data + (size_t)y1 * src->stride;
                float top = r0[x0 * 3 + c] * (1.0f - fx) + r0[x1 * 3 + c] * fx;
                float bottom = r1[x0 * 3 + c] * (1.0f - fx) + r1[x1 * 3 + c] * fx;
                float v = top * (1.0f - fy) + bottom * fy;
                int oc = swap ? 2 - c : c;
                float r = (v - mean[oc]) * scale[oc];
                size_t at = ((size_t)y * dw + x) * 3 + oc;
                if (out_f) out_f[at] = r;
                float qv = r / q_scale;
                if (!(qv > -1000.0f)) qv = -1000.0f;
                if (qv > 1000.0f) qv = 1000.0f;
                long q = lroundf(qv) + zp;
                if (out_q) out_q[at] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
            }
        }
}

static float plain_f[200 * 90 * 3], fast_f[200 * 90 * 3];
static int8_t plain_q[200 * 90 * 3], fast_q[200 * 90 * 3];

/* The resize (columns computed once per run of 64, rounding without a
 * call) against the rule written out, bit for bit: up- and downscales,
 * outputs across several column runs, 1-pixel sides, odd scales and
 * quantization scales, both R/B orders. */
static void test_resize_to_tensor_vs_plain(void)
{
    static const int32_t outs[][2] = {{200, 30}, {130, 90}, {64, 48}, {65, 1}, {1, 1}, {127, 77}};
    static const float mean[3] = {104.0f, 117.0f, 123.0f}, unit[3] = {1, 1, 1}, odd_scale[3] = {0.5f, 0.017f, 2.0f};
    static const float q_scales[3] = {1.0f, 0.93f, 0.0078125f};
    int cases = 0;
    for (int k = 0; k < SIZE_COUNT; k++)
        for (int o = 0; o < (int)(sizeof outs / sizeof outs[0]); o++) {
            MF_CHECK_EQ_INT(make_frame(&tf, MF_PIXEL_RGB888, sizes[k][0], sizes[k][1], k * 5), MF_OK);
            int32_t dw = outs[o][0], dh = outs[o][1];
            size_t n = (size_t)dw * (size_t)dh * 3;
            int swap = (k + o) & 1;
            const float *scale = o % 2 ? odd_scale : unit;
            float qs = q_scales[(k + o) % 3];
            int32_t zp = o % 2 ? -128 : 5;
            plain_resize(&tf.rgb, dw, dh, mean, scale, swap, qs, zp, plain_f, plain_q);
            MF_CHECK_EQ_INT(mf_resize_to_tensor_f32(&tf.rgb, dw, dh, mean, scale, swap, fast_f), MF_OK);
            MF_CHECK_EQ_INT(mf_resize_to_tensor_s8(&tf.rgb, dw, dh, mean, scale, swap, qs, zp, fast_q), MF_OK);
            MF_CHECK(memcmp(plain_f, fast_f, n * sizeof(float)) == 0);
            MF_CHECK(memcmp(plain_q, fast_q, n) == 0);
            MF_CHECK_EQ_INT(mf_frame_resize_to_tensor_s8(&tf.frame, dw, dh, mean, scale, swap, qs, zp, fast_q), MF_OK);
            MF_CHECK(memcmp(plain_q, fast_q, n) == 0);
            cases++;
        }
    printf("resize to tensor vs the plain rule: %d cases equal\n", cases);
}

static uint8_t out_frame[112 * 112 * 3], out_image[112 * 112 * 3];

static void test_crop_resize(void)
{
    int cases = 0;
    for (int fi = 0; fi < FORMAT_COUNT; fi++)
        for (int k = 0; k < SIZE_COUNT; k++) {
            int32_t w, h;
            frame_size(formats[fi], k, &w, &h);
            MF_CHECK_EQ_INT(make_frame(&tf, formats[fi], w, h, 5), MF_OK);
            /* whole frame, an inner rectangle at odd offsets, one pixel */
            int32_t rects[3][4] = {{0, 0, w, h}, {w / 5, h / 3 + (h > 2), w / 2 + 1, h / 2}, {w - 1, h - 1, 1, 1}};
            for (int r = 0; r < 3; r++) {
                mf_image a = {out_frame, 80, 80, 80 * 3, 3}, b = {out_image, 80, 80, 80 * 3, 3};
                memset(out_frame, 1, sizeof out_frame);
                memset(out_image, 2, sizeof out_image);
                MF_CHECK_EQ_INT(mf_frame_crop_resize(&tf.frame, rects[r][0], rects[r][1], rects[r][2], rects[r][3], &a),
                                MF_OK);
                MF_CHECK_EQ_INT(mf_crop_resize(&tf.rgb, rects[r][0], rects[r][1], rects[r][2], rects[r][3], &b), MF_OK);
                MF_CHECK(memcmp(out_frame, out_image, 80 * 80 * 3) == 0);
                cases++;
            }
            mf_image a = {out_frame, 80, 80, 80 * 3, 3};
            MF_CHECK_EQ_INT(mf_frame_crop_resize(&tf.frame, 1, 0, w, h, &a), MF_EINVAL); /* outside */
            mf_image gray = {out_frame, 80, 80, 80, 1};
            MF_CHECK_EQ_INT(mf_frame_crop_resize(&tf.frame, 0, 0, w, h, &gray), MF_EINVAL);
        }
    printf("crop resize: %d cases equal\n", cases);
}

/* A random similarity that maps the frame centre near the destination centre. */
static void random_similarity(int32_t w, int32_t h, int32_t dw, int32_t dh, double m[6])
{
    double ang = ((double)(next_random() % 1400) / 1000.0) - 0.7;
    double s = 0.5 + (double)(next_random() % 1500) / 1000.0;
    double a = s * cos(ang), b = s * sin(ang);
    m[0] = a, m[1] = -b, m[3] = b, m[4] = a;
    m[2] = dw / 2.0 - (a * w / 2.0 - b * h / 2.0) + (double)(next_random() % 9) - 4.0;
    m[5] = dh / 2.0 - (b * w / 2.0 + a * h / 2.0) + (double)(next_random() % 9) - 4.0;
}

static void test_warp_and_align(void)
{
    int cases = 0;
    for (int fi = 0; fi < FORMAT_COUNT; fi++)
        for (int k = 0; k < SIZE_COUNT; k++) {
            int32_t w, h;
            frame_size(formats[fi], k, &w, &h);
            MF_CHECK_EQ_INT(make_frame(&tf, formats[fi], w, h, 2), MF_OK);
            for (int border = 0; border < 2; border++) {
                double m[6];
                random_similarity(w, h, 112, 112, m);
                mf_image a = {out_frame, 112, 112, 112 * 3, 3}, b = {out_image, 112, 112, 112 * 3, 3};
                memset(out_frame, 1, sizeof out_frame);
                memset(out_image, 2, sizeof out_image);
                MF_CHECK_EQ_INT(mf_warp_affine_frame(&tf.frame, m, (mf_border)border, &a), MF_OK);
                MF_CHECK_EQ_INT(mf_warp_affine(&tf.rgb, m, (mf_border)border, &b), MF_OK);
                MF_CHECK(memcmp(out_frame, out_image, sizeof out_frame) == 0);
                cases++;
            }
            /* alignment: landmarks of a face roughly filling the frame */
            float lm[10] = {0.35f * w, 0.4f * h, 0.65f * w, 0.38f * h, 0.5f * w, 0.55f * h,
                            0.38f * w, 0.75f * h, 0.62f * w, 0.74f * h};
            mf_image a = {out_frame, 112, 112, 112 * 3, 3}, b = {out_image, 112, 112, 112 * 3, 3};
            memset(out_frame, 1, sizeof out_frame);
            memset(out_image, 2, sizeof out_image);
            MF_CHECK_EQ_INT(mf_align_face_frame(&tf.frame, lm, &a), MF_OK);
            MF_CHECK_EQ_INT(mf_align_face(&tf.rgb, lm, &b), MF_OK);
            MF_CHECK(memcmp(out_frame, out_image, sizeof out_frame) == 0);
            cases++;
        }
    printf("warp and align: %d cases equal\n", cases);
    double identity[6] = {1, 0, 0, 0, 1, 0};
    mf_image a = {out_frame, 112, 112, 112 * 3, 3}, gray = {out_frame, 112, 112, 112, 1};
    MF_CHECK_EQ_INT(make_frame(&tf, MF_PIXEL_NV12, 8, 4, 0), MF_OK);
    MF_CHECK_EQ_INT(mf_warp_affine_frame(&tf.frame, identity, MF_BORDER_ZERO, &gray), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_warp_affine_frame(&tf.frame, identity, (mf_border)7, &a), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_warp_affine_frame(&tf.frame, NULL, MF_BORDER_ZERO, &a), MF_EINVAL);
    double singular[6] = {0, 0, 0, 0, 0, 0};
    MF_CHECK_EQ_INT(mf_warp_affine_frame(&tf.frame, singular, MF_BORDER_ZERO, &a), MF_EINVAL);
    float lm[10] = {2, 1, 6, 1, 4, 2, 3, 3, 5, 3};
    MF_CHECK_EQ_INT(mf_align_face_frame(NULL, lm, &a), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_align_face_frame(&tf.frame, NULL, &a), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_align_face_frame(&tf.frame, lm, &gray), MF_EINVAL);
    mf_frame bad = tf.frame;
    bad.stride = 7; /* below the row bytes */
    MF_CHECK_EQ_INT(mf_align_face_frame(&bad, lm, &a), MF_EINVAL);
    /* mf_align_face keeps refusing gray images (its contract is RGB888) */
    mf_image gray_src = {tf.rgb_px, 8, 4, 8, 1};
    MF_CHECK_EQ_INT(mf_align_face(&gray_src, lm, &a), MF_EINVAL);
}

int main(void)
{
    MF_RUN(test_resize_to_tensor);
    MF_RUN(test_resize_to_tensor_vs_plain);
    MF_RUN(test_crop_resize);
    MF_RUN(test_warp_and_align);
    return mf_test_summary();
}
