/* x86-64 twins of the int8 kernels (nn/ops/mf_kernels_s8.h): the same
 * signatures with an `_x86` suffix, bit-exact with the reference at every
 * level mf_x86_isa_active() selects (AVX2, AVX-512 VNNI), and the reference
 * itself at MF_X86_ISA_SCALAR or where a twin has no vector path. Chosen by
 * nn/ops/kernels_s8_select.h in host builds with MF_USE_X86=1; tested
 * against the reference at every level by tests/kernels/test_*_x86.c. */
#ifndef MCUFACE_NN_KERNELS_S8_X86_H
#define MCUFACE_NN_KERNELS_S8_X86_H
#include "nn/ops/mf_kernels_s8.h"
#include "nn/ops/x86/mf_x86_isa.h"

/* Scratch depends only on kh, kw, in->c / groups and out->c (the planner
 * sizes it from the weights alone) and covers every level. */
size_t mf_conv_s8_x86_scratch_size(const mf_conv_s8_params *p, const mf_shape4 *in, int32_t kh, int32_t kw,
                                   const mf_shape4 *out);
void mf_conv_s8_x86(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                    const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights, const int32_t *bias,
                    const mf_shape4 *out, int8_t *output, void *scratch);
/* Plan-time packing (AVX-512 only): bytes for GROUPS groups of OUT_C / GROUPS
 * channels of K taps; mf_conv_s8_x86_pack fills PACKED (int32-aligned, that
 * many bytes) at the active level and returns 1, or marks it unused and
 * returns 0 below AVX-512; mf_conv_s8_x86_packed then uses it (or packs per
 * call when it is unused or was packed at another level), same bytes. */
size_t mf_conv_s8_x86_packed_size(int32_t groups, int32_t k, int32_t out_c);
int mf_conv_s8_x86_pack(int32_t groups, int32_t input_zero_point, int32_t k, int32_t out_c, const int8_t *weights,
                        const int32_t *bias, void *packed);
void mf_conv_s8_x86_packed(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                           const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights, const int32_t *bias,
                           const mf_shape4 *out, int8_t *output, void *scratch, const void *packed);
void mf_depthwise_conv_s8_x86(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                              const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights,
                              const int32_t *bias, const mf_shape4 *out, int8_t *output);
void mf_fully_connected_s8_x86(const mf_fc_s8_params *p, const mf_channel_requant *rq, const int8_t *input,
                               int32_t rows, int32_t in_features, const int8_t *weights, const int32_t *bias,
                               int32_t out_features, int8_t *output);
void mf_binary_s8_x86(mf_binary kind, const mf_binary_s8_params *p, const mf_shape4 *a_shape, const int8_t *a,
                      const mf_shape4 *b_shape, const int8_t *b, const mf_shape4 *out, int8_t *output);
void mf_quantize_f32_s8_x86(const float *input, size_t count, float scale, int32_t zero_point, int8_t *output);
void mf_dequantize_s8_f32_x86(const int8_t *input, size_t count, float scale, int32_t zero_point, float *output);
void mf_lookup_s8_x86(const int8_t *input, size_t count, const int8_t *table, int8_t *output);
void mf_prelu_s8_x86(const mf_prelu_s8_params *p, const int8_t *input, size_t count, int32_t channels,
                     int8_t *output);
#endif
