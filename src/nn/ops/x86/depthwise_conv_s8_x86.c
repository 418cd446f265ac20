#include "nn/ops/ref/mf_window.h"
#include "nn/ops/x86/mf_kernels_s8_x86.h"
#include "nn/ops/x86/requantize_x86.h"

/* Depthwise convolution with channels in vector lanes (16 for AVX-512, 8
 * for AVX2), one block of channels at a time so its tap weights stay in a
 * small table. Each product (x - zp) * w is exact with vpmaddwd: x - zp
 * (-255..255) sits in the low int16 of a lane, w in the low int16 with the
 * high one zero, so the pair sum is the one product. Channel multiplier
 * other than 1 and windows of more than MAX_TAPS taps run the reference. */

enum { MAX_TAPS = 81 };

static MF_TARGET_AVX512 void depthwise_avx512(const mf_conv_s8_params *p, const mf_channel_requant *rq,
                                              const mf_shape4 *in, const int8_t *input, int32_t kh, int32_t kw,
                                              const int8_t *weights, const int32_t *bias, const mf_shape4 *out,
                                              int8_t *output)
{
    __m512i taps[MAX_TAPS];
    const int32_t c = out->c;
    const __m512i zp_in = _mm512_set1_epi32(p->input_zero_point), low16 = _mm512_set1_epi32(0xFFFF);
    const __m512i zp_out = _mm512_set1_epi32(p->output_zero_point), lo = _mm512_set1_epi32(p->act_min),
                  hi = _mm512_set1_epi32(p->act_max);
    for (int32_t c0 = 0; c0 < c; c0 += 16) {
        const __mmask16 keep = c - c0 >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (c - c0)) - 1);
        for (int32_t t = 0; t < kh * kw; t++)
            taps[t] = _mm512_and_si512(
                _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(keep, weights + (size_t)t * c + c0)), low16);
        const __m512i b = bias ? _mm512_maskz_loadu_epi32(keep, bias + c0) : _mm512_setzero_si512();
        const __m512i m = _mm512_maskz_loadu_epi32(keep, rq->multiplier + c0);
        const __m512i sh = _mm512_maskz_loadu_epi32(keep, rq->shift + c0);
        for (int32_t n = 0; n < out->n; n++)
            for (int32_t oy = 0; oy < out->h; oy++) {
                const int32_t y0 = oy * p->stride_h - p->pad_top;
                int32_t ky_first, ky_end;
                mf_window_taps(y0, p->dilation_h, kh, in->h, &ky_first, &ky_end);
                for (int32_t ox = 0; ox < out->w; ox++) {
                    const int32_t x0 = ox * p->stride_w - p->pad_left;
                    int32_t kx_first, kx_end;
                    mf_window_taps(x0, p->dilation_w, kw, in->w, &kx_first, &kx_end);
                    __m512i acc = b;
                    for (int32_t ky = ky_first; ky < ky_end; ky++) {
                        const int8_t *row =
                            input + (((size_t)n * in->h + y0 + ky * p->dilation_h) * in->w) * in->c + c0;
                        for (int32_t kx = kx_first; kx < kx_end; kx++) {
                            const int8_t *src = row + (size_t)(x0 + kx * p->dilation_w) * in->c;
                            const __m512i x = _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(keep, src)),
                                                               zp_in);
                            acc = _mm512_add_epi32(acc, _mm512_madd_epi16(x, taps[ky * kw + kx]));
                        }
                    }
                    int8_t *dst = output + (((size_t)n * out->h + oy) * out->w + ox) * c + c0;
                    mf_store_s8x16_avx512(dst, mf_requantize_avx512(acc, m, sh), zp_out, lo, hi, keep);
                }
            }
    }
}

static MF_TARGET_AVX2 void depthwise_avx2(const mf_conv_s8_params *p, const mf_channel_requant *rq,
                                          const mf_shape4 *in, const int8_t *input, int32_t kh, int32_t kw,
                                          const int8_t *weights, const int32_t *bias, const mf_shape4 *out,
                                          int8_t *output)
{
    __m256i taps[MAX_TAPS];
    const int32_t c = out->c;
    const __m256i zp_in = _mm256_set1_epi32(p->input_zero_point), low16 = _mm256_set1_epi32(0xFFFF);
    const __m256i zp_out = _mm256_set1_epi32(p->output_zero_point), lo = _mm256_set1_epi32(p->act_min),
                  hi = _mm256_set1_epi32(p->act_max);
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (int32_t c0 = 0; c0 < c; c0 += 8) {
        const int32_t left = c - c0 < 8 ? c - c0 : 8;
        const __m256i keep = _mm256_cmpgt_epi32(_mm256_set1_epi32(left), lane);
        for (int32_t t = 0; t < kh * kw; t++)
            taps[t] = _mm256_and_si256(mf_load_s8x8_avx2(weights + (size_t)t * c + c0, (size_t)left), low16);
        const __m256i b = bias ? _mm256_maskload_epi32(bias + c0, keep) : _mm256_setzero_si256();
        const __m256i m = _mm256_maskload_epi32(rq->multiplier + c0, keep);
        const __m256i sh = _mm256_maskload_epi32(rq->shift + c0, keep);
        for (int32_t n = 0; n < out->n; n++)
            for (int32_t oy = 0; oy < out->h; oy++) {
                const int32_t y0 = oy * p->stride_h - p->pad_top;
                int32_t ky_first, ky_end;
                mf_window_taps(y0, p->dilation_h, kh, in->h, &ky_first, &ky_end);
                for (int32_t ox = 0; ox < out->w; ox++) {
                    const int32_t x0 = ox * p->stride_w - p->pad_left;
                    int32_t kx_first, kx_end;
                    mf_window_taps(x0, p->dilation_w, kw, in->w, &kx_first, &kx_end);
                    __m256i acc = b;
                    for (int32_t ky = ky_first; ky < ky_end; ky++) {
                        const int8_t *row =
                            input + (((size_t)n * in->h + y0 + ky * p->dilation_h) * in->w) * in->c + c0;
                        for (int32_t kx = kx_first; kx < kx_end; kx++) {
                            const int8_t *src = row + (size_t)(x0 + kx * p->dilation_w) * in->c;
                            const __m256i x = _mm256_sub_epi32(mf_load_s8x8_avx2(src, (size_t)left), zp_in);
                            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(x, taps[ky * kw + kx]));
                        }
                    }
                    int8_t *dst = output + (((size_t)n * out->h + oy) * out->w + ox) * c + c0;
                    mf_store_s8_avx2(dst, mf_requantize_avx2(acc, m, sh), zp_out, lo, hi, left);
                }
            }
    }
}

void mf_depthwise_conv_s8_x86(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                              const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights,
                              const int32_t *bias, const mf_shape4 *out, int8_t *output)
{
    const mf_x86_isa isa = mf_x86_isa_active();
    if (isa == MF_X86_ISA_SCALAR || out->c != in->c || kh * kw > MAX_TAPS)
        mf_depthwise_conv_s8(p, rq, in, input, kh, kw, weights, bias, out, output);
    else if (isa >= MF_X86_ISA_AVX512)
        depthwise_avx512(p, rq, in, input, kh, kw, weights, bias, out, output);
    else
        depthwise_avx2(p, rq, in, input, kh, kw, weights, bias, out, output);
}
