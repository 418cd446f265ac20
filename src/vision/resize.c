/* cv2.resize(INTER_LINEAR) for 8-bit images, reproduced from OpenCV's
 * resize.cpp: coordinates computed in float, weights rounded to 11 bits
 * (INTER_RESIZE_COEF_BITS), horizontal pass exact in int, vertical pass as
 * OpenCV's SIMD VResizeLinear does it ((h >> 4) * w >> 16, then + 2 >> 2).
 * Tables are computed per pixel instead of stored, so no scratch memory. */
#include "vision/resize.h"
#include "mcuface/mf_status.h"
#include "vision/frame.h"
#include "vision/frame_convert.h"
#include <math.h>

#define COEF_BITS 11
#define COEF_ONE (1 << COEF_BITS)

typedef struct axis_tap {
    int i0, i1;     /* source indices, already clamped */
    int w0, w1;     /* fixed-point weights of i0 and i1 */
} axis_tap;

/* OpenCV rounds float weights with cvRound: half to even. */
static inline int round_weight(float w)
{
    return (int)lrintf(w * (float)COEF_ONE);
}

/* Horizontal tap: OpenCV zeroes the fraction at both edges. */
static inline axis_tap x_tap(int d, double scale, int size)
{
    axis_tap t;
    float f = (float)(((double)d + 0.5) * scale - 0.5);
    int s = (int)floorf(f);
    f -= (float)s;
    if (s < 0) {
        s = 0;
        f = 0.0f;
    }
    if (s >= size - 1) { /* right edge: OpenCV copies the last pixel at full weight */
        t.i0 = t.i1 = size - 1;
        t.w0 = COEF_ONE;
        t.w1 = 0;
        return t;
    }
    t.i0 = s;
    t.i1 = s + 1;
    t.w0 = round_weight(1.0f - f);
    t.w1 = round_weight(f);
    return t;
}

/* Vertical tap: OpenCV keeps the fraction and clamps the row indices. */
static inline axis_tap y_tap(int d, double scale, int size)
{
    axis_tap t;
    float f = (float)(((double)d + 0.5) * scale - 0.5);
    int s = (int)floorf(f);
    f -= (float)s;
    t.i0 = s < 0 ? 0 : s > size - 1 ? size - 1 : s;
    t.i1 = s + 1 < 0 ? 0 : s + 1 > size - 1 ? size - 1 : s + 1;
    t.w0 = round_weight(1.0f - f);
    t.w1 = round_weight(f);
    return t;
}

static inline uint8_t vertical_mix(int top, int bottom, int w0, int w1)
{
    int v = ((((top >> 4) * w0) >> 16) + (((bottom >> 4) * w1) >> 16) + 2) >> 2;
    return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

int mf_resize_bilinear(const mf_image *src, mf_image *dst)
{
    int err = mf_image_check(src);
    if (err) return err;
    err = mf_image_check(dst);
    if (err) return err;
    if (src->channels != dst->channels) return MF_EINVAL;
    const int cn = src->channels;
    /* OpenCV derives the step as 1 / (dst / src); keep the same double. */
    const double scale_x = 1.0 / ((double)dst->width / src->width);
    const double scale_y = 1.0 / ((double)dst->height / src->height);
    for (int y = 0; y < dst->height; y++) {
        axis_tap ty = y_tap(y, scale_y, src->height);
        const uint8_t *row0 = src->data + (size_t)ty.i0 * (size_t)src->stride;
        const uint8_t *row1 = src->data + (size_t)ty.i1 * (size_t)src->stride;
        uint8_t *out = dst->data + (size_t)y * (size_t)dst->stride;
        for (int x = 0; x < dst->width; x++) {
            axis_tap tx = x_tap(x, scale_x, src->width);
            for (int c = 0; c < cn; c++) {
                int a0 = tx.i0 * cn + c, a1 = tx.i1 * cn + c;
                int top = row0[a0] * tx.w0 + row0[a1] * tx.w1;
                int bottom = row1[a0] * tx.w0 + row1[a1] * tx.w1;
                out[x * cn + c] = vertical_mix(top, bottom, ty.w0, ty.w1);
            }
        }
    }
    return MF_OK;
}

int mf_crop_resize(const mf_image *src, int x, int y, int width, int height, mf_image *dst)
{
    mf_image view;
    int err = mf_image_crop_view(src, x, y, width, height, &view);
    if (err) return err;
    return mf_resize_bilinear(&view, dst);
}

int mf_frame_crop_resize(const mf_frame *src, int x, int y, int width, int height, mf_image *dst)
{
    int err = mf_frame_check(src);
    if (err) return err;
    err = mf_image_check(dst);
    if (err) return err;
    if (dst->channels != 3 || x < 0 || y < 0 || width < 1 || height < 1 || width > src->width - x ||
        height > src->height - y)
        return MF_EINVAL;
    mf_image view;
    if (mf_frame_rgb_view(src, &view)) return mf_crop_resize(&view, x, y, width, height, dst);
    /* The arithmetic of mf_resize_bilinear, on pixels converted as they are read. */
    const double scale_x = 1.0 / ((double)dst->width / width);
    const double scale_y = 1.0 / ((double)dst->height / height);
    for (int oy = 0; oy < dst->height; oy++) {
        axis_tap ty = y_tap(oy, scale_y, height);
        uint8_t *out = dst->data + (size_t)oy * (size_t)dst->stride;
        for (int ox = 0; ox < dst->width; ox++) {
            axis_tap tx = x_tap(ox, scale_x, width);
            uint8_t p00[3], p01[3], p10[3], p11[3];
            mf_frame_pixel_rgb(src, x + tx.i0, y + ty.i0, p00);
            mf_frame_pixel_rgb(src, x + tx.i1, y + ty.i0, p01);
            mf_frame_pixel_rgb(src, x + tx.i0, y + ty.i1, p10);
            mf_frame_pixel_rgb(src, x + tx.i1, y + ty.i1, p11);
            for (int c = 0; c < 3; c++) {
                int top = p00[c] * tx.w0 + p01[c] * tx.w1;
                int bottom = p10[c] * tx.w0 + p11[c] * tx.w1;
                out[ox * 3 + c] = vertical_mix(top, bottom, ty.w0, ty.w1);
            }
        }
    }
    return MF_OK;
}
