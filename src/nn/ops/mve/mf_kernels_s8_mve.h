/* Helium (MVE) twins of the int8 kernels of nn/ops/mf_kernels_s8.h: the same
 * signatures with an `_mve` suffix, bit-exact against the reference (checked
 * by tests/m55/). Distinct names, not a build-time swap, so one M55 binary
 * holds both and the test can compare them; the graph picks the `_mve` name
 * when it is built for the M55. Cases without a vector path (noted below)
 * call the reference kernel. Compiled only for the M55 (-mcpu=cortex-m55). */
#ifndef MCUFACE_NN_KERNELS_S8_MVE_H
#define MCUFACE_NN_KERNELS_S8_MVE_H
#include "nn/ops/mf_kernels_s8.h"

/* Any geometry: a patch (im2col row) per output pixel and group, 4 output
 * channels per pass over it with 16-lane int8 dot products (VMLADAVA);
 * 1x1 convolutions read the input pixel in place. Scratch: per-channel
 * bias - input_zero_point * sum(weights), then one patch. */
void mf_conv_s8_mve(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                    const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights, const int32_t *bias,
                    const mf_shape4 *out, int8_t *output, void *scratch);
size_t mf_conv_s8_mve_scratch_size(const mf_conv_s8_params *p, const mf_shape4 *in, int32_t kh, int32_t kw,
                                   const mf_shape4 *out);
/* Channel multiplier 1 (any kernel size): 4 channels per vector; other
 * multipliers call the reference. */
void mf_depthwise_conv_s8_mve(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                              const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights,
                              const int32_t *bias, const mf_shape4 *out, int8_t *output);
void mf_fully_connected_s8_mve(const mf_fc_s8_params *p, const mf_channel_requant *rq, const int8_t *input,
                               int32_t rows, int32_t in_features, const int8_t *weights, const int32_t *bias,
                               int32_t out_features, int8_t *output);
/* Same-shape operands: 4 elements per vector; broadcasting calls the reference. */
void mf_binary_s8_mve(mf_binary kind, const mf_binary_s8_params *p, const mf_shape4 *a_shape, const int8_t *a,
                      const mf_shape4 *b_shape, const int8_t *b, const mf_shape4 *out, int8_t *output);
/* float -> int8, 4 lanes: multiplies by 1 / scale where that provably
 * rounds as the reference's division (otherwise, per vector, the reference);
 * may start at the input. */
void mf_quantize_f32_s8_mve(const float *input, size_t count, float scale, int32_t zero_point, int8_t *output);
/* int8 -> float, 4 lanes: the reference's multiply per lane (scales below
 * 2^-100 in magnitude: the reference). */
void mf_dequantize_s8_f32_mve(const int8_t *input, size_t count, float scale, int32_t zero_point, float *output);
/* 16 lanes with gather loads from the table; may run in place. */
void mf_lookup_s8_mve(const int8_t *input, size_t count, const int8_t *table, int8_t *output);
/* 4 channels per vector along each row of `channels` values, the multiplier
 * and shift picked per lane by the sign; may run in place. */
void mf_prelu_s8_mve(const mf_prelu_s8_params *p, const int8_t *input, size_t count, int32_t channels,
                     int8_t *output);
#endif
