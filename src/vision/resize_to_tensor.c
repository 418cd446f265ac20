/* Bilinear resize of an RGB888 image straight into a float NHWC tensor,
 * with per-channel (p - mean) * scale and an optional R/B swap. It follows
 * cv2.resize(INTER_LINEAR) on a float32 image (half-pixel centres, edge
 * clamp, no anti-aliasing), which is what the detector's reference does, so
 * no uint8 rounding happens between the resize and the network. */
#include "mcuface/mf_image.h"
#include "mcuface/mf_status.h"
#include "vision/resize_to_tensor.h"
#include <math.h>

/* Source index and weight of the right/lower neighbour for destination D. */
static void source_coord(int32_t d, double ratio, int32_t src_size, int32_t *index, float *frac)
{
    double s = ((double)d + 0.5) * ratio - 0.5;
    int32_t i = (int32_t)s;
    if (s < (double)i) i--; /* floor */
    float f = (float)(s - (double)i);
    if (i < 0) { i = 0; f = 0.0f; }
    if (i >= src_size - 1) { i = src_size - 1; f = 0.0f; }
    *index = i;
    *frac = f;
}

/* Writes float outputs to DST, or (DST_Q) int8 ones quantized with Q_SCALE and ZERO_POINT. */
static int resize_to_tensor(const mf_image *src, int32_t dst_width, int32_t dst_height, const float mean[3],
                            const float scale[3], int swap_rb, float *dst, int8_t *dst_q, float q_scale,
                            int32_t zero_point)
{
    if (!src || !src->data || (!dst && !dst_q) || !mean || !scale || src->channels != 3) return MF_EINVAL;
    if (src->width < 1 || src->height < 1 || dst_width < 1 || dst_height < 1) return MF_EINVAL;
    if (src->stride < src->width * 3) return MF_EINVAL;
    double ratio_x = (double)src->width / dst_width, ratio_y = (double)src->height / dst_height;
    for (int32_t y = 0; y < dst_height; y++) {
        int32_t sy;
        float fy;
        source_coord(y, ratio_y, src->height, &sy, &fy);
        int32_t sy1 = sy + 1 < src->height ? sy + 1 : sy;
        const uint8_t *row0 = src->data + (size_t)sy * (size_t)src->stride;
        const uint8_t *row1 = src->data + (size_t)sy1 * (size_t)src->stride;
        for (int32_t x = 0; x < dst_width; x++) {
            int32_t sx;
            float fx;
            source_coord(x, ratio_x, src->width, &sx, &fx);
            int32_t sx1 = sx + 1 < src->width ? sx + 1 : sx;
            size_t at = ((size_t)y * (size_t)dst_width + (size_t)x) * 3;
            for (int c = 0; c < 3; c++) {
                float top = row0[sx * 3 + c] * (1.0f - fx) + row0[sx1 * 3 + c] * fx;
                float bottom = row1[sx * 3 + c] * (1.0f - fx) + row1[sx1 * 3 + c] * fx;
                float v = top * (1.0f - fy) + bottom * fy;
                int oc = swap_rb ? 2 - c : c;
                float r = (v - mean[oc]) * scale[oc];
                if (dst) {
                    dst[at + (size_t)oc] = r;
                    continue;
                }
                /* as mf_quantize_f32_s8 */
                float qv = r / q_scale;
                if (!(qv > -1000.0f)) qv = -1000.0f;
                if (qv > 1000.0f) qv = 1000.0f;
                int32_t q = (int32_t)lroundf(qv) + zero_point;
                dst_q[at + (size_t)oc] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
            }
        }
    }
    return MF_OK;
}

int mf_resize_to_tensor_f32(const mf_image *src, int32_t dst_width, int32_t dst_height, const float mean[3],
                            const float scale[3], int swap_rb, float *dst)
{
    return resize_to_tensor(src, dst_width, dst_height, mean, scale, swap_rb, dst, NULL, 1.0f, 0);
}

int mf_resize_to_tensor_s8(const mf_image *src, int32_t dst_width, int32_t dst_height, const float mean[3],
                           const float scale[3], int swap_rb, float q_scale, int32_t zero_point, int8_t *dst)
{
    if (!dst || !(q_scale > 0.0f) || zero_point < -128 || zero_point > 127) return MF_EINVAL;
    return resize_to_tensor(src, dst_width, dst_height, mean, scale, swap_rb, NULL, dst, q_scale, zero_point);
}
