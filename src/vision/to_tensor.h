/* Model input preparation without resizing (resize first with
 * mf_resize_bilinear or warp with mf_warp_affine when sizes differ). */
#ifndef MCUFACE_VISION_TO_TENSOR_H
#define MCUFACE_VISION_TO_TENSOR_H
#include "mcuface/mf_image.h"
#include <stdint.h>

/* Converts SRC (RGB888) to a float NHWC tensor of height x width x 3 at OUT
 * (caller-owned, width * height * 3 floats): out[c] = (p[c'] - mean[c]) *
 * scale[c] with c' = c, or c' = 2 - c when SWAP_RB (RGB in, BGR out). MEAN
 * and SCALE index the output channels. Returns MF_OK, MF_EINVAL or
 * MF_ERANGE. */
int mf_image_to_tensor_f32(const mf_image *src, float *out, const float mean[3], const float scale[3], int swap_rb);

/* The same for an int8 network input: each value above is quantized with
 * Q_SCALE (> 0) and ZERO_POINT (-128..127) exactly as the QUANTIZE op does
 * (mf_quantize_f32_s8), so the float tensor never exists. */
int mf_image_to_tensor_s8(const mf_image *src, int8_t *out, const float mean[3], const float scale[3], int swap_rb,
                          float q_scale, int32_t zero_point);
#endif
