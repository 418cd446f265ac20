/* Inverse-mapped bilinear warp reproducing OpenCV's WarpAffineInvoker +
 * remapBilinear for 8-bit images: the source position is computed in 1/1024
 * pixel (AB_BITS), rounded to 1/32 (INTER_BITS), and the 2x2 neighbours are
 * weighted with 15-bit integer weights. Border pixels are handled per
 * neighbour, as OpenCV does. */
#include "vision/warp.h"
#include "vision/similarity.h"
#include "mcuface/mf_status.h"
#include "vision/frame.h"
#include "vision/frame_convert.h"
#include <math.h>
#include <stdint.h>

#define AB_BITS 10
#define INTER_BITS 5
#define INTER_TAB (1 << INTER_BITS)
#define REMAP_BITS 15

/* cvRound with saturation to int32 (OpenCV's saturate_cast<int>(double)). */
static int64_t round_sat(double v)
{
    if (!(v > -2147483648.0)) return INT32_MIN; /* also NaN */
    if (v >= 2147483647.0) return INT32_MAX;
    return (int64_t)lrint(v);
}

/* Reads channel C of neighbour (X, Y), or -1 when it lies outside with a zero border. */
static int neighbour(const mf_image *src, int x, int y, int c, mf_border border)
{
    if (border == MF_BORDER_REPLICATE) {
        x = x < 0 ? 0 : x >= src->width ? src->width - 1 : x;
        y = y < 0 ? 0 : y >= src->height ? src->height - 1 : y;
    } else if (x < 0 || y < 0 || x >= src->width || y >= src->height) {
        return 0;
    }
    return src->data[(size_t)y * (size_t)src->stride + (size_t)x * (size_t)src->channels + (size_t)c];
}

/* Top-left source neighbour and 15-bit weights of destination pixel X of a row (row_at). */
typedef struct sample_tap {
    int sx, sy;
    int w00, w01, w10, w11;
} sample_tap;

typedef struct row_origin {
    int64_t x0, y0; /* source position of the row's x = 0, in 1/1024 pixel, plus the rounding delta */
} row_origin;

static inline row_origin row_at(const double inv[6], int y)
{
    const int64_t round_delta = (1 << AB_BITS) / INTER_TAB / 2;
    row_origin r = {round_sat((inv[1] * y + inv[2]) * (1 << AB_BITS)) + round_delta,
                    round_sat((inv[4] * y + inv[5]) * (1 << AB_BITS)) + round_delta};
    return r;
}

static inline sample_tap tap_at(const double inv[6], row_origin row, int x)
{
    int64_t x0 = row.x0, y0 = row.y0;
    /* Positions in 1/32 pixel; 64-bit shifts of negatives floor, as OpenCV's int shifts do. */
    int64_t px = (x0 + round_sat(inv[0] * x * (1 << AB_BITS))) >> (AB_BITS - INTER_BITS);
    int64_t py = (y0 + round_sat(inv[3] * x * (1 << AB_BITS))) >> (AB_BITS - INTER_BITS);
    int64_t ix = px >> INTER_BITS, iy = py >> INTER_BITS;
    int fx = (int)(px & (INTER_TAB - 1)), fy = (int)(py & (INTER_TAB - 1));
    sample_tap t;
    /* Clamp far-away positions (OpenCV saturates them to int16): still outside, no overflow. */
    t.sx = (int)(ix < -2 ? -2 : ix > MF_IMAGE_MAX_SIDE + 1 ? MF_IMAGE_MAX_SIDE + 1 : ix);
    t.sy = (int)(iy < -2 ? -2 : iy > MF_IMAGE_MAX_SIDE + 1 ? MF_IMAGE_MAX_SIDE + 1 : iy);
    /* (32 - f) * (32 - g) / 1024 scaled to 2^15 is exactly (32 - f) * (32 - g) * 32. */
    t.w00 = (INTER_TAB - fy) * (INTER_TAB - fx) * 32;
    t.w01 = (INTER_TAB - fy) * fx * 32;
    t.w10 = fy * (INTER_TAB - fx) * 32;
    t.w11 = fy * fx * 32;
    return t;
}

int mf_warp_affine(const mf_image *src, const double m[6], mf_border border, mf_image *dst)
{
    int err = mf_image_check(src);
    if (err) return err;
    err = mf_image_check(dst);
    if (err) return err;
    if (!m || src->channels != dst->channels) return MF_EINVAL;
    if (border != MF_BORDER_ZERO && border != MF_BORDER_REPLICATE) return MF_EINVAL;
    double inv[6];
    err = mf_affine_invert(m, inv);
    if (err) return err;
    const int cn = src->channels;
    for (int y = 0; y < dst->height; y++) {
        uint8_t *out = dst->data + (size_t)y * (size_t)dst->stride;
        row_origin row = row_at(inv, y);
        for (int x = 0; x < dst->width; x++) {
            sample_tap t = tap_at(inv, row, x);
            for (int c = 0; c < cn; c++) {
                int sum = neighbour(src, t.sx, t.sy, c, border) * t.w00 +
                          neighbour(src, t.sx + 1, t.sy, c, border) * t.w01 +
                          neighbour(src, t.sx, t.sy + 1, c, border) * t.w10 +
                          neighbour(src, t.sx + 1, t.sy + 1, c, border) * t.w11;
                out[x * cn + c] = (uint8_t)((sum + (1 << (REMAP_BITS - 1))) >> REMAP_BITS);
            }
        }
    }
    return MF_OK;
}

/* RGB of frame pixel (X, Y) into RGB, or black when it lies outside with a zero border. */
static void frame_neighbour(const mf_frame *src, int x, int y, mf_border border, uint8_t rgb[3])
{
    if (border == MF_BORDER_REPLICATE) {
        x = x < 0 ? 0 : x >= src->width ? src->width - 1 : x;
        y = y < 0 ? 0 : y >= src->height ? src->height - 1 : y;
    } else if (x < 0 || y < 0 || x >= src->width || y >= src->height) {
        rgb[0] = rgb[1] = rgb[2] = 0;
        return;
    }
    mf_frame_pixel_rgb(src, x, y, rgb);
}

int mf_warp_affine_frame(const mf_frame *src, const double m[6], mf_border border, mf_image *dst)
{
    int err = mf_frame_check(src);
    if (err) return err;
    mf_image view;
    if (mf_frame_rgb_view(src, &view)) return mf_warp_affine(&view, m, border, dst);
    err = mf_image_check(dst);
    if (err) return err;
    if (!m || dst->channels != 3) return MF_EINVAL;
    if (border != MF_BORDER_ZERO && border != MF_BORDER_REPLICATE) return MF_EINVAL;
    double inv[6];
    err = mf_affine_invert(m, inv);
    if (err) return err;
    for (int y = 0; y < dst->height; y++) {
        uint8_t *out = dst->data + (size_t)y * (size_t)dst->stride;
        row_origin row = row_at(inv, y);
        for (int x = 0; x < dst->width; x++) {
            sample_tap t = tap_at(inv, row, x);
            uint8_t p00[3], p01[3], p10[3], p11[3];
            frame_neighbour(src, t.sx, t.sy, border, p00);
            frame_neighbour(src, t.sx + 1, t.sy, border, p01);
            frame_neighbour(src, t.sx, t.sy + 1, border, p10);
            frame_neighbour(src, t.sx + 1, t.sy + 1, border, p11);
            for (int c = 0; c < 3; c++) {
                int sum = p00[c] * t.w00 + p01[c] * t.w01 + p10[c] * t.w10 + p11[c] * t.w11;
                out[x * 3 + c] = (uint8_t)((sum + (1 << (REMAP_BITS - 1))) >> REMAP_BITS);
            }
        }
    }
    return MF_OK;
}
