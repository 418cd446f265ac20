/* Per-pixel conversion of camera frames to RGB888, shared by
 * mf_frame_to_image and the samplers that read frames directly (resize to
 * the detector tensor, liveness crops, alignment warp), so both paths give
 * the same bytes. The formulas are documented in include/mcuface/mf_frame.h. */
#ifndef MCUFACE_VISION_FRAME_CONVERT_H
#define MCUFACE_VISION_FRAME_CONVERT_H
#include <stddef.h>
#include <stdint.h>
#include "mcuface/mf_frame.h"

/* ITU-R BT.601 limited-range YUV -> RGB coefficients in 20-bit fixed point. */
#define MF_YUV_SHIFT 20
#define MF_YUV_CY 1220542   /* 1.164 */
#define MF_YUV_CVR 1673527  /* 1.596 */
#define MF_YUV_CVG (-852492) /* -0.813 */
#define MF_YUV_CUG (-409993) /* -0.391 */
#define MF_YUV_CUB 2116026  /* 2.018 */

static inline uint8_t mf_sat8(int32_t v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }

/* Arithmetic right shift written as a floor division, so it does not rely on
 * implementation-defined shifts of negative values. */
static inline int32_t mf_yuv_descale(int32_t v)
{
    return v >= 0 ? v >> MF_YUV_SHIFT : -((-v + (1 << MF_YUV_SHIFT) - 1) >> MF_YUV_SHIFT);
}

static inline void mf_yuv_to_rgb(int32_t y, int32_t u, int32_t v, uint8_t rgb[3])
{
    const int32_t half = 1 << (MF_YUV_SHIFT - 1);
    int32_t yy = (y > 16 ? y - 16 : 0) * MF_YUV_CY;
    u -= 128;
    v -= 128;
    rgb[0] = mf_sat8(mf_yuv_descale(yy + half + MF_YUV_CVR * v));
    rgb[1] = mf_sat8(mf_yuv_descale(yy + half + MF_YUV_CVG * v + MF_YUV_CUG * u));
    rgb[2] = mf_sat8(mf_yuv_descale(yy + half + MF_YUV_CUB * u));
}

/* OpenCV's 565 expansion: the channel bits shifted to the top, low bits zero. */
static inline void mf_rgb565_to_rgb(uint32_t word, uint8_t rgb[3])
{
    rgb[0] = (uint8_t)((word >> 8) & 0xF8u);
    rgb[1] = (uint8_t)((word >> 3) & 0xFCu);
    rgb[2] = (uint8_t)((word << 3) & 0xF8u);
}

/* RGB of pixel (X, Y) of a frame checked by mf_frame_init; X and Y must lie
 * inside it. */
static inline void mf_frame_pixel_rgb(const mf_frame *f, int32_t x, int32_t y, uint8_t rgb[3])
{
    const uint8_t *row = f->data + (size_t)y * (size_t)f->stride;
    const uint8_t *p;
    switch (f->format) {
    case MF_PIXEL_RGB888:
        p = row + (size_t)x * 3;
        rgb[0] = p[0], rgb[1] = p[1], rgb[2] = p[2];
        return;
    case MF_PIXEL_BGR888:
        p = row + (size_t)x * 3;
        rgb[0] = p[2], rgb[1] = p[1], rgb[2] = p[0];
        return;
    case MF_PIXEL_RGB565:
        p = row + (size_t)x * 2;
        mf_rgb565_to_rgb((uint32_t)p[0] | (uint32_t)p[1] << 8, rgb);
        return;
    case MF_PIXEL_RGB565_BE:
        p = row + (size_t)x * 2;
        mf_rgb565_to_rgb((uint32_t)p[1] | (uint32_t)p[0] << 8, rgb);
        return;
    case MF_PIXEL_YUYV: /* Y0 U Y1 V */
        p = row + (size_t)(x & ~1) * 2;
        mf_yuv_to_rgb(p[(x & 1) * 2], p[1], p[3], rgb);
        return;
    case MF_PIXEL_UYVY: /* U Y0 V Y1 */
        p = row + (size_t)(x & ~1) * 2;
        mf_yuv_to_rgb(p[(x & 1) * 2 + 1], p[0], p[2], rgb);
        return;
    case MF_PIXEL_NV12: {
        const uint8_t *uv = f->data + (size_t)f->stride * (size_t)f->height + (size_t)(y >> 1) * (size_t)f->stride +
                            (size_t)(x & ~1);
        mf_yuv_to_rgb(row[x], uv[0], uv[1], rgb);
        return;
    }
    case MF_PIXEL_GRAY8:
    default: /* mf_frame_init admits no other format */
        rgb[0] = rgb[1] = rgb[2] = row[x];
        return;
    }
}

/* Converts pixels X0 .. X0 + COUNT - 1 of row Y of F (inside it) to RGB888
 * at OUT (3 * COUNT bytes). */
void mf_frame_row_to_rgb(const mf_frame *f, int32_t y, int32_t x0, int32_t count, uint8_t *out);

#endif
