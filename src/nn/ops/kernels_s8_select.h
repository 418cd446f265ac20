/* The int8 kernels the executor (nn/exec_s8.c) calls, chosen at build time:
 * with MF_USE_MVE=1 (port/an547's MF_M55_MVE option, which also compiles
 * src/nn/ops/mve/) the Helium twins; with MF_USE_X86=1 (the host build's
 * MF_X86_SIMD option, src/nn/ops/x86/) the x86-64 twins, which pick AVX2 or
 * AVX-512 at run time; otherwise the reference kernels.
 * The twins are bit-exact with the reference (tests/m55: kernel by kernel;
 * tests/m55_graph: whole models against the host) and call the reference
 * themselves where they have no vector path (depthwise channel multiplier
 * other than 1, broadcasting binary ops), so the choice changes the speed,
 * never a byte of the results. */
#ifndef MCUFACE_NN_KERNELS_S8_SELECT_H
#define MCUFACE_NN_KERNELS_S8_SELECT_H
#include "nn/ops/mf_kernels_s8.h"

#if defined(MF_USE_MVE) && MF_USE_MVE
#if !defined(__ARM_FEATURE_MVE) || !(__ARM_FEATURE_MVE & 1)
#error "MF_USE_MVE needs a target with integer Helium (MVE), e.g. -mcpu=cortex-m55"
#endif
#include "nn/ops/mve/mf_kernels_s8_mve.h"
#define MF_S8_HELIUM 1
#define MF_S8_X86 0
#elif defined(MF_USE_X86) && MF_USE_X86
#include "nn/ops/x86/mf_kernels_s8_x86.h"
#define MF_S8_HELIUM 0
#define MF_S8_X86 1
#else
#define MF_S8_HELIUM 0
#define MF_S8_X86 0
#endif

/* Scratch bytes the selected convolution kernel needs (16-byte aligned). */
static inline size_t mf_s8_conv_scratch_size(const mf_conv_s8_params *p, const mf_shape4 *in, int32_t kh,
                                             int32_t kw, const mf_shape4 *out)
{
#if MF_S8_HELIUM
    return mf_conv_s8_mve_scratch_size(p, in, kh, kw, out);
#elif MF_S8_X86
    return mf_conv_s8_x86_scratch_size(p, in, kh, kw, out);
#else
    return mf_conv_s8_scratch_size(p, in, kh, kw, out);
#endif
}

/* Bytes of weights the selected convolution (or fully connected: GROUPS 1,
 * K = in_features) keeps packed in the op's own memory from plan time on:
 * the x86 AVX-512 VNNI layout; 0 elsewhere (the M55 plans exactly what it
 * did). K: taps per output channel (kh * kw * in.c / groups). */
static inline size_t mf_s8_conv_packed_bytes(int32_t groups, int32_t k, int32_t out_c)
{
#if MF_S8_X86
    return mf_conv_s8_x86_packed_size(groups, k, out_c);
#else
    (void)groups;
    (void)k;
    (void)out_c;
    return 0;
#endif
}

/* Packs WEIGHTS (and the bias, corrected for INPUT_ZERO_POINT) into PACKED,
 * mf_s8_conv_packed_bytes of them, at plan time. */
static inline void mf_s8_conv_pack(int32_t groups, int32_t input_zero_point, int32_t k, int32_t out_c,
                                   const int8_t *weights, const int32_t *bias, void *packed)
{
#if MF_S8_X86
    mf_conv_s8_x86_pack(groups, input_zero_point, k, out_c, weights, bias, packed);
#else
    (void)groups;
    (void)input_zero_point;
    (void)k;
    (void)out_c;
    (void)weights;
    (void)bias;
    (void)packed;
#endif
}

/* Convolution; SCRATCH holds SCRATCH_BYTES; PACKED: the weights as
 * mf_s8_conv_pack left them, or NULL. Should the scratch be smaller than
 * the Helium kernel needs (the planner reserves enough, so this is a guard,
 * not a path), the reference kernel runs instead. */
static inline void mf_s8_conv(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                              const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights,
                              const int32_t *bias, const mf_shape4 *out, int8_t *output, void *scratch,
                              size_t scratch_bytes, const void *packed)
{
#if MF_S8_HELIUM
    if (scratch && mf_conv_s8_mve_scratch_size(p, in, kh, kw, out) <= scratch_bytes) {
        mf_conv_s8_mve(p, rq, in, input, kh, kw, weights, bias, out, output, scratch);
        return;
    }
#elif MF_S8_X86
    if (scratch && mf_conv_s8_x86_scratch_size(p, in, kh, kw, out) <= scratch_bytes) {
        mf_conv_s8_x86_packed(p, rq, in, input, kh, kw, weights, bias, out, output, scratch, packed);
        return;
    }
#else
    (void)scratch_bytes;
#endif
    (void)packed;
    mf_conv_s8(p, rq, in, input, kh, kw, weights, bias, out, output, scratch);
}

static inline void mf_s8_depthwise_conv(const mf_conv_s8_params *p, const mf_channel_requant *rq,
                                        const mf_shape4 *in, const int8_t *input, int32_t kh, int32_t kw,
                                        const int8_t *weights, const int32_t *bias, const mf_shape4 *out,
                                        int8_t *output)
{
#if MF_S8_HELIUM
    mf_depthwise_conv_s8_mve(p, rq, in, input, kh, kw, weights, bias, out, output);
#elif MF_S8_X86
    mf_depthwise_conv_s8_x86(p, rq, in, input, kh, kw, weights, bias, out, output);
#else
    mf_depthwise_conv_s8(p, rq, in, input, kh, kw, weights, bias, out, output);
#endif
}

/* On x86 a fully connected layer over at least this many rows (EdgeFace's
 * token MLPs: hundreds) runs as a 1x1 convolution, whose packed GEMM keeps
 * the output features in lanes; fewer rows keep the FC twin (its weights in
 * place: nothing to pack for one row). */
#define MF_S8_FC_GEMM_MIN_ROWS 8

/* Scratch bytes the selected fully connected kernel needs (16-byte
 * aligned): the packed weights of that 1x1 convolution on x86, else none
 * (the M55 plans exactly what it did). */
static inline size_t mf_s8_fc_scratch_size(int32_t in_features, int32_t out_features)
{
#if MF_S8_X86
    mf_conv_s8_params p = {.groups = 1};
    mf_shape4 in = {1, 1, 1, in_features}, out = {1, 1, 1, out_features};
    return mf_conv_s8_x86_scratch_size(&p, &in, 1, 1, &out);
#else
    (void)in_features;
    (void)out_features;
    return 0;
#endif
}

/* Fully connected; SCRATCH holds SCRATCH_BYTES (see mf_s8_fc_scratch_size;
 * too few, and the FC twin runs). The same integer sums and requantization
 * either way, so the bytes never depend on the path. */
static inline void mf_s8_fully_connected(const mf_fc_s8_params *p, const mf_channel_requant *rq,
                                         const int8_t *input, int32_t rows, int32_t in_features,
                                         const int8_t *weights, const int32_t *bias, int32_t out_features,
                                         int8_t *output, void *scratch, size_t scratch_bytes, const void *packed)
{
    (void)packed;
#if MF_S8_HELIUM
    (void)scratch;
    (void)scratch_bytes;
    mf_fully_connected_s8_mve(p, rq, input, rows, in_features, weights, bias, out_features, output);
#elif MF_S8_X86
    if (rows >= MF_S8_FC_GEMM_MIN_ROWS && scratch && mf_s8_fc_scratch_size(in_features, out_features) <= scratch_bytes) {
        mf_conv_s8_params c = {.stride_h = 1, .stride_w = 1, .dilation_h = 1, .dilation_w = 1, .groups = 1,
                               .input_zero_point = p->input_zero_point, .output_zero_point = p->output_zero_point,
                               .act_min = p->act_min, .act_max = p->act_max};
        mf_shape4 in = {1, rows, 1, in_features}, out = {1, rows, 1, out_features};
        mf_conv_s8_x86_packed(&c, rq, &in, input, 1, 1, weights, bias, &out, output, scratch, packed);
        return;
    }
    mf_fully_connected_s8_x86(p, rq, input, rows, in_features, weights, bias, out_features, output);
#else
    (void)scratch;
    (void)scratch_bytes;
    mf_fully_connected_s8(p, rq, input, rows, in_features, weights, bias, out_features, output);
#endif
}

static inline void mf_s8_binary(mf_binary kind, const mf_binary_s8_params *p, const mf_shape4 *a_shape,
                                const int8_t *a, const mf_shape4 *b_shape, const int8_t *b, const mf_shape4 *out,
                                int8_t *output)
{
#if MF_S8_HELIUM
    mf_binary_s8_mve(kind, p, a_shape, a, b_shape, b, out, output);
#elif MF_S8_X86
    mf_binary_s8_x86(kind, p, a_shape, a, b_shape, b, out, output);
#else
    mf_binary_s8(kind, p, a_shape, a, b_shape, b, out, output);
#endif
}

/* float32 -> int8 (QUANTIZE). */
static inline void mf_s8_quantize(const float *input, size_t count, float scale, int32_t zero_point,
                                  int8_t *output)
{
#if MF_S8_HELIUM
    mf_quantize_f32_s8_mve(input, count, scale, zero_point, output);
#elif MF_S8_X86
    mf_quantize_f32_s8_x86(input, count, scale, zero_point, output);
#else
    mf_quantize_f32_s8(input, count, scale, zero_point, output);
#endif
}

/* int8 -> float32 (DEQUANTIZE). */
static inline void mf_s8_dequantize(const int8_t *input, size_t count, float scale, int32_t zero_point,
                                    float *output)
{
#if MF_S8_HELIUM
    mf_dequantize_s8_f32_mve(input, count, scale, zero_point, output);
#elif MF_S8_X86
    mf_dequantize_s8_f32_x86(input, count, scale, zero_point, output);
#else
    mf_dequantize_s8_f32(input, count, scale, zero_point, output);
#endif
}

/* Activation as a 256-entry table; may run in place. */
static inline void mf_s8_lookup(const int8_t *input, size_t count, const int8_t *table, int8_t *output)
{
#if MF_S8_HELIUM
    mf_lookup_s8_mve(input, count, table, output);
#elif MF_S8_X86
    mf_lookup_s8_x86(input, count, table, output);
#else
    mf_lookup_s8(input, count, table, output);
#endif
}

/* PReLU with per-channel slopes along the last axis; may run in place. */
static inline void mf_s8_prelu(const mf_prelu_s8_params *p, const int8_t *input, size_t count, int32_t channels,
                               int8_t *output)
{
#if MF_S8_HELIUM
    mf_prelu_s8_mve(p, input, count, channels, output);
#elif MF_S8_X86
    mf_prelu_s8_x86(p, input, count, channels, output);
#else
    mf_prelu_s8(p, input, count, channels, output);
#endif
}
#endif
