/* int8 kernel signatures, TFLite int8 conventions (as CMSIS-NN's s8 kernels):
 *  - activations: int8 with one scale and zero point per tensor,
 *    real = scale * (q - zero_point);
 *  - weights: int8, symmetric (zero point 0), one scale per output channel;
 *  - bias: int32 with scale input_scale * weight_scale[o], zero point 0;
 *  - output: acc = bias + sum (x - input_zero_point) * w, then
 *    q = clamp(mf_requantize(acc, multiplier[o], shift[o]) + output_zero_point,
 *              act_min, act_max)
 *    with the rounding of nn/ops/ref/requantize.h (the one definition).
 * Padding reads the input zero point (real 0). The fused activation is the
 * clamp [act_min, act_max] in the output's int8 domain (ReLU, ReLU6, none).
 * Layout NHWC, shapes mf_shape4, as the float kernels (mf_kernels.h).
 * Like them, kernels never allocate and never check: the graph's prepare
 * step validates shapes and reserves `_scratch_size()` bytes.
 *
 * Helium twins: src/nn/ops/mve/, the same signatures with an `_mve` suffix
 * (declared in nn/ops/mve/mf_kernels_s8_mve.h), so one M55 binary can run
 * both and compare them bit for bit (tests/m55/). */
#ifndef MCUFACE_NN_KERNELS_S8_H
#define MCUFACE_NN_KERNELS_S8_H
#include "nn/ops/mf_kernels.h"
#include <stddef.h>
#include <stdint.h>

/* Per-output-channel requantization: real multiplier
 * input_scale * weight_scale[o] / output_scale as a Q31 multiplier in
 * [2^30, 2^31) (or 0) and a power-of-two shift (> 0 left, < 0 right). */
typedef struct mf_channel_requant {
    const int32_t *multiplier; /* [out channels] */
    const int32_t *shift;      /* [out channels], -31..30 */
} mf_channel_requant;

typedef struct mf_conv_s8_params {
    int32_t stride_h, stride_w;
    int32_t pad_top, pad_left, pad_bottom, pad_right; /* padding reads input_zero_point */
    int32_t dilation_h, dilation_w;
    int32_t groups;            /* conv only: in.c and out.c are multiples of groups */
    int32_t input_zero_point;  /* -128..127 */
    int32_t output_zero_point; /* -128..127 */
    int32_t act_min, act_max;  /* fused clamp, -128 <= act_min <= act_max <= 127 */
} mf_conv_s8_params;

/* Convolution. weights: [out.c][kh][kw][in.c / groups] (OHWI) int8;
 * bias: [out.c] int32 or NULL. scratch: mf_conv_s8_scratch_size() bytes,
 * 16-byte aligned (the reference needs none and ignores it). */
void mf_conv_s8(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights, const int32_t *bias,
                const mf_shape4 *out, int8_t *output, void *scratch);
size_t mf_conv_s8_scratch_size(const mf_conv_s8_params *p, const mf_shape4 *in, int32_t kh, int32_t kw,
                               const mf_shape4 *out);

/* Depthwise convolution, out.c = in.c * multiplier; output channel o reads
 * input channel o / multiplier. weights: [kh][kw][out.c] (as the float
 * version); bias: [out.c] or NULL; p->groups is ignored. No scratch. */
void mf_depthwise_conv_s8(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                          const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights,
                          const int32_t *bias, const mf_shape4 *out, int8_t *output);

typedef struct mf_fc_s8_params {
    int32_t input_zero_point, output_zero_point;
    int32_t act_min, act_max;
} mf_fc_s8_params;

/* Fully connected over the last axis: rows vectors of in_features.
 * weights: [out_features][in_features]; bias: [out_features] or NULL;
 * rq per output feature (a per-tensor weight scale repeats its values). No scratch. */
void mf_fully_connected_s8(const mf_fc_s8_params *p, const mf_channel_requant *rq, const int8_t *input,
                           int32_t rows, int32_t in_features, const int8_t *weights, const int32_t *bias,
                           int32_t out_features, int8_t *output);

/* Element-wise add / sub / mul as TFLite's int8 kernels.
 * ADD, SUB: each input is shifted left by left_shift (20), rescaled to a
 *   common scale (twice the larger input scale) with its own multiplier, the
 *   two are added (SUB negates b's multiplier), and the sum is requantized
 *   with the output multiplier.
 * MUL: (a - a_zp) * (b - b_zp) requantized with the output multiplier
 *   (a_scale * b_scale / out_scale); the input multipliers are unused.
 * Fill with mf_binary_s8_params_init (host or prepare step). */
typedef struct mf_binary_s8_params {
    int32_t a_zero_point, b_zero_point, output_zero_point;
    int32_t left_shift;
    int32_t a_multiplier, a_shift, b_multiplier, b_shift;
    int32_t output_multiplier, output_shift;
    int32_t act_min, act_max;
} mf_binary_s8_params;

/* kind: MF_BINARY_ADD, MF_BINARY_SUB or MF_BINARY_MUL (no int8 DIV).
 * numpy broadcasting over 4-d shapes, as mf_binary_f32. */
void mf_binary_s8(mf_binary kind, const mf_binary_s8_params *p, const mf_shape4 *a_shape, const int8_t *a,
                  const mf_shape4 *b_shape, const int8_t *b, const mf_shape4 *out, int8_t *output);

/* Max / average pooling; the output has the input's scale and zero point.
 * AVG rounds the int32 window sum to the nearest integer, ties away from
 * zero (TFLite); padding never contributes to MAX and counts as the
 * zero point for AVG with count_include_pad. Then clamps to [act_min, act_max]. */
void mf_pool_s8(const mf_pool_params *p, int32_t zero_point, int32_t act_min, int32_t act_max,
                const mf_shape4 *in, const int8_t *input, const mf_shape4 *out, int8_t *output);

/* Concatenation when every input has the output's scale and zero point (the
 * converter unifies them, as TFLite requires): a byte copy, arguments as
 * mf_concat_f32. */
void mf_concat_s8(const int8_t *const *inputs, const int32_t *inner_sizes, int32_t count, int32_t outer,
                  int8_t *output);

/* Conversions between float32 and int8 with one scale and zero point:
 * quantize q = clamp(round(x / scale) + zero_point) with x / scale in
 * float32, rounded half away from zero (NaN and |x / scale| > 1000 saturate);
 * dequantize x = (float)(q - zero_point) * scale in float32. */
void mf_quantize_f32_s8(const float *input, size_t count, float scale, int32_t zero_point, int8_t *output);
void mf_dequantize_s8_f32(const int8_t *input, size_t count, float scale, int32_t zero_point, float *output);

/* output[i] = table[input[i] + 128]: any element-wise activation, with the
 * table built from the scales when planning. May run in place. */
void mf_lookup_s8(const int8_t *input, size_t count, const int8_t *table, int8_t *output);

/* PReLU over `count` values whose last axis has `channels` entries (element
 * i is channel i % channels), as TFLite's int8 PRELU with two branches:
 *   d = x - input_zero_point
 *   q = clamp(mf_requantize(d, positive_multiplier, positive_shift) + output_zero_point)   d >= 0
 *   q = clamp(mf_requantize(d, negative_multiplier[c], negative_shift[c]) + output_zero_point) d < 0
 * positive: input_scale / output_scale; negative: input_scale * slope[c] /
 * output_scale, the real slope kept per channel (a negative slope is a
 * negated Q31 multiplier). Filled when planning. May run in place. */
typedef struct mf_prelu_s8_params {
    int32_t input_zero_point, output_zero_point;
    int32_t positive_multiplier, positive_shift;
    const int32_t *negative_multiplier; /* [channels] */
    const int32_t *negative_shift;      /* [channels] */
} mf_prelu_s8_params;

void mf_prelu_s8(const mf_prelu_s8_params *p, const int8_t *input, size_t count, int32_t channels,
                 int8_t *output);

/* Mean over the axes set in axis_mask (bit 0 = n ... bit 3 = c of the 4-d
 * view, as mf_mean_f32; reduced axes kept with size 1):
 *   q = clamp(mf_requantize(sum (x - input_zero_point), multiplier, shift) + output_zero_point)
 * with the real multiplier input_scale / (output_scale * reduced count).
 * The int32 sum cannot overflow when reduced count x 255 < 2^31 (planning checks). */
typedef struct mf_mean_s8_params {
    int32_t input_zero_point, output_zero_point;
    int32_t multiplier, shift;
} mf_mean_s8_params;

void mf_mean_s8(const mf_mean_s8_params *p, const mf_shape4 *in, const int8_t *input, uint32_t axis_mask,
                int8_t *output);

/* Nearest-neighbour resize (torch's: src = floor(dst * in / out)); the
 * output keeps the input's scale and zero point. */
void mf_resize_nearest_s8(const mf_shape4 *in, const int8_t *input, const mf_shape4 *out, int8_t *output);

/* ---- Host / prepare-step helpers (double arithmetic; not on the inference path). */

/* Splits a real multiplier into a Q31 multiplier in [2^30, 2^31) and a shift
 * with real ~= multiplier * 2^(shift - 31), rounding to nearest (TFLite
 * QuantizeMultiplier). real <= 0 or below 2^-32 gives (0, 0); a shift above
 * 30 is clamped (the multiplier saturates). Returns 0, or -1 for NaN/inf. */
int mf_quantize_multiplier(double real, int32_t *multiplier, int32_t *shift);

/* Fills *p for kind from the tensors' scales and zero points (TFLite's
 * Prepare of ADD/SUB/MUL) and the clamp. Returns 0 or -1 on a bad scale. */
int mf_binary_s8_params_init(mf_binary kind, double a_scale, int32_t a_zero_point, double b_scale,
                             int32_t b_zero_point, double output_scale, int32_t output_zero_point,
                             int32_t act_min, int32_t act_max, mf_binary_s8_params *p);

#endif
