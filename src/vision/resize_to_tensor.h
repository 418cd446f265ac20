#ifndef MCUFACE_VISION_RESIZE_TO_TENSOR_H
#define MCUFACE_VISION_RESIZE_TO_TENSOR_H
#include <stdint.h>
#include "mcuface/mf_frame.h"
#include "mcuface/mf_image.h"

/* Resizes SRC (RGB888) to DST_WIDTH x DST_HEIGHT into DST (float NHWC,
 * 3 channels): out[c] = (bilinear(src)[c'] - mean[c]) * scale[c], where c'
 * = c, or 2 - c when SWAP_RB (RGB in, BGR out). mean/scale index the
 * output channels. Returns MF_OK or MF_EINVAL. */
int mf_resize_to_tensor_f32(const mf_image *src, int32_t dst_width, int32_t dst_height, const float mean[3],
                            const float scale[3], int swap_rb, float *dst);

/* The same, quantized for an int8 network input: q = clamp(round(out[c] /
 * Q_SCALE) + ZERO_POINT) (rounding as the QUANTIZE op), so the float tensor
 * never exists. */
int mf_resize_to_tensor_s8(const mf_image *src, int32_t dst_width, int32_t dst_height, const float mean[3],
                           const float scale[3], int swap_rb, float q_scale, int32_t zero_point, int8_t *dst);

/* The same two from a camera frame of any format (SRC checked as
 * mf_frame_init does), each source pixel converted as mf_frame_to_image
 * does: the same bits as resizing the converted image, without it.
 * Returns MF_OK, MF_EINVAL or MF_ERANGE. */
int mf_frame_resize_to_tensor_f32(const mf_frame *src, int32_t dst_width, int32_t dst_height, const float mean[3],
                                  const float scale[3], int swap_rb, float *dst);
int mf_frame_resize_to_tensor_s8(const mf_frame *src, int32_t dst_width, int32_t dst_height, const float mean[3],
                                 const float scale[3], int swap_rb, float q_scale, int32_t zero_point, int8_t *dst);
#endif
