/* Bilinear resize of an RGB888 image straight into a float NHWC tensor,
 * with per-channel (p - mean) * scale and an optional R/B swap. It follows
 * cv2.resize(INTER_LINEAR) on a float32 image (half-pixel centres, edge
 * clamp, no anti-aliasing), which is what the detector's reference does, so
 * no uint8 rounding happens between the resize and the network. */
#include "mcuface/mf_image.h"
#include "mcuface/mf_status.h"
#include "vision/resize_to_tensor.h"

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

int mf_resize_to_tensor_f32(const mf_image *src, int32_t dst_width, int32_t dst_height, const float mean[3],
                            const float scale[3], int swap_rb, float *dst)
{
    if (!src || !src->data || !dst || !mean || !scale || src->channels != 3) return MF_EINVAL;
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
            float *out = dst + ((size_t)y * (size_t)dst_width + (size_t)x) * 3;
            for (int c = 0; c < 3; c++) {
                float top = row0[sx * 3 + c] * (1.0f - fx) + row0[sx1 * 3 + c] * fx;
                float bottom = row1[sx * 3 + c] * (1.0f - fx) + row1[sx1 * 3 + c] * fx;
                float v = top * (1.0f - fy) + bottom * fy;
                int oc = swap_rb ? 2 - c : c;
                out[oc] = (v - mean[oc]) * scale[oc];
            }
        }
    }
    return MF_OK;
}
