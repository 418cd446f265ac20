#include "nn/ops/ref/requantize.h"
#include "nn/ops/x86/mf_kernels_s8_x86.h"
#include "nn/ops/x86/requantize_x86.h"

/* Fully connected with the features in vector lanes (AVX-512 VNNI): a tile
 * of up to 4 rows x 4 outputs keeps 16 partial sums of u * w, u = x + 128
 * (x ^ 0x80, so vpdpbusd's u8 x s8 products are exact), and one sum of w
 * per output shared by the rows; then
 *   acc = bias + sum u*w - (128 + zp) * sum w = bias + sum (x - zp) * w,
 * exact modulo 2^32 as the reference's int32 sum. The FC has no scratch to
 * pack weights into, so the weights are read in place, row-major. The AVX2
 * level runs the reference. */

static inline __attribute__((always_inline)) MF_TARGET_AVX512 void fc_tile(
    const int R, const int O, const mf_fc_s8_params *p, const mf_channel_requant *rq, const int8_t *input,
    int32_t r0, int32_t k, const int8_t *weights, const int32_t *bias, int32_t o0, int32_t out_features,
    int8_t *output)
{
    __m512i acc[4][4], wsum[4];
    const __m512i flip = _mm512_set1_epi8((char)0x80), ones = _mm512_set1_epi8(1);
    for (int o = 0; o < O; o++) {
        wsum[o] = _mm512_setzero_si512();
        for (int r = 0; r < R; r++) acc[r][o] = _mm512_setzero_si512();
    }
    for (int32_t i = 0; i < k; i += 64) {
        const __mmask64 m = k - i >= 64 ? ~(__mmask64)0 : _bzhi_u64(~0ull, (unsigned)(k - i));
        __m512i w[4], u[4];
        for (int o = 0; o < O; o++) {
            w[o] = _mm512_maskz_loadu_epi8(m, weights + (size_t)(o0 + o) * k + i);
            wsum[o] = _mm512_dpbusd_epi32(wsum[o], ones, w[o]);
        }
        for (int r = 0; r < R; r++) u[r] = _mm512_xor_si512(_mm512_maskz_loadu_epi8(m, input + (size_t)(r0 + r) * k + i), flip);
        for (int r = 0; r < R; r++)
            for (int o = 0; o < O; o++) acc[r][o] = _mm512_dpbusd_epi32(acc[r][o], u[r], w[o]);
    }
    for (int o = 0; o < O; o++) {
        const int32_t c = o0 + o;
        const int32_t base = (bias ? bias[c] : 0) - (128 + p->input_zero_point) * _mm512_reduce_add_epi32(wsum[o]);
        for (int r = 0; r < R; r++) {
            const int32_t sum = base + _mm512_reduce_add_epi32(acc[r][o]);
            const int32_t q = mf_requantize(sum, rq->multiplier[c], rq->shift[c]) + p->output_zero_point;
            output[(size_t)(r0 + r) * out_features + c] = mf_clamp_s8(q, p->act_min, p->act_max);
        }
    }
}

static MF_TARGET_AVX512 void fc_avx512(const mf_fc_s8_params *p, const mf_channel_requant *rq, const int8_t *input,
                                       int32_t rows, int32_t k, const int8_t *weights, const int32_t *bias,
                                       int32_t out_features, int8_t *output)
{
    for (int32_t r0 = 0; r0 < rows; r0 += 4) {
        const int R = rows - r0 < 4 ? rows - r0 : 4;
        for (int32_t o0 = 0; o0 < out_features; o0 += 4) {
            const int O = out_features - o0 < 4 ? out_features - o0 : 4;
#define MF_FC_CASE(r, o) \
    case (r) * 8 + (o): fc_tile(r, o, p, rq, input, r0, k, weights, bias, o0, out_features, output); break;
            switch (R * 8 + O) {
                MF_FC_CASE(1, 1) MF_FC_CASE(1, 2) MF_FC_CASE(1, 3) MF_FC_CASE(1, 4)
                MF_FC_CASE(2, 1) MF_FC_CASE(2, 2) MF_FC_CASE(2, 3) MF_FC_CASE(2, 4)
                MF_FC_CASE(3, 1) MF_FC_CASE(3, 2) MF_FC_CASE(3, 3) MF_FC_CASE(3, 4)
                MF_FC_CASE(4, 1) MF_FC_CASE(4, 2) MF_FC_CASE(4, 3) MF_FC_CASE(4, 4)
            default: break;
            }
#undef MF_FC_CASE
        }
    }
}

void mf_fully_connected_s8_x86(const mf_fc_s8_params *p, const mf_channel_requant *rq, const int8_t *input,
                               int32_t rows, int32_t in_features, const int8_t *weights, const int32_t *bias,
                               int32_t out_features, int8_t *output)
{
    if (mf_x86_isa_active() >= MF_X86_ISA_AVX512)
        fc_avx512(p, rq, input, rows, in_features, weights, bias, out_features, output);
    else
        mf_fully_connected_s8(p, rq, input, rows, in_features, weights, bias, out_features, output);
}
