#include "vision/to_tensor.h"
#include "mcuface/mf_status.h"
#include "nn/ops/mf_kernels_s8.h"

int mf_image_to_tensor_f32(const mf_image *src, float *out, const float mean[3], const float scale[3], int swap_rb)
{
    int err = mf_image_check(src);
    if (err) return err;
    if (!out || !mean || !scale || src->channels != 3) return MF_EINVAL;
    const int r = swap_rb ? 2 : 0, b = swap_rb ? 0 : 2;
    for (int y = 0; y < src->height; y++) {
        const uint8_t *p = src->data + (size_t)y * (size_t)src->stride;
        float *o = out + (size_t)y * (size_t)src->width * 3;
        for (int x = 0; x < src->width; x++, p += 3, o += 3) {
            o[0] = ((float)p[r] - mean[0]) * scale[0];
            o[1] = ((float)p[1] - mean[1]) * scale[1];
            o[2] = ((float)p[b] - mean[2]) * scale[2];
        }
    }
    return MF_OK;
}

int mf_image_to_tensor_s8(const mf_image *src, int8_t *out, const float mean[3], const float scale[3], int swap_rb,
                          float q_scale, int32_t zero_point)
{
    int err = mf_image_check(src);
    if (err) return err;
    if (!out || !mean || !scale || src->channels != 3 || !(q_scale > 0.0f) || zero_point < -128 || zero_point > 127)
        return MF_EINVAL;
    const int r = swap_rb ? 2 : 0, b = swap_rb ? 0 : 2;
    for (int y = 0; y < src->height; y++) {
        const uint8_t *p = src->data + (size_t)y * (size_t)src->stride;
        int8_t *o = out + (size_t)y * (size_t)src->width * 3;
        for (int x = 0; x < src->width; x++, p += 3, o += 3) {
            /* the float values of mf_image_to_tensor_f32, then the QUANTIZE op's rounding */
            float v[3] = {((float)p[r] - mean[0]) * scale[0], ((float)p[1] - mean[1]) * scale[1],
                          ((float)p[b] - mean[2]) * scale[2]};
            mf_quantize_f32_s8(v, 3, q_scale, zero_point, o);
        }
    }
    return MF_OK;
}
