/* x86 twin of mf_prelu_s8, bit for bit: both of TFLite's branches (the one
 * positive multiplier, the per-channel negative ones) through the vector
 * mf_requantize, the sign of x - zp choosing per lane. Walks each pixel's
 * channels in 16 (AVX-512) or 8 (AVX2) lane chunks so the per-channel
 * parameters load contiguously; a last partial pixel is a short row. May
 * run in place (each chunk is loaded before it is stored). */
#include "nn/ops/x86/mf_kernels_s8_x86.h"
#include "nn/ops/x86/requantize_x86.h"

static MF_TARGET_AVX512 void prelu_avx512(const mf_prelu_s8_params *p, const int8_t *input, size_t count,
                                          int32_t channels, int8_t *output)
{
    const __m512i zp_in = _mm512_set1_epi32(p->input_zero_point), zp_out = _mm512_set1_epi32(p->output_zero_point);
    const __m512i pos_m = _mm512_set1_epi32(p->positive_multiplier), pos_s = _mm512_set1_epi32(p->positive_shift);
    const __m512i lo = _mm512_set1_epi32(-128), hi = _mm512_set1_epi32(127), zero = _mm512_setzero_si512();
    for (size_t start = 0; start < count; start += (size_t)channels) {
        const size_t row = count - start < (size_t)channels ? count - start : (size_t)channels;
        for (size_t c = 0; c < row; c += 16) {
            const size_t left = row - c;
            const __mmask16 keep = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1u);
            const __m512i d = _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(keep, input + start + c)), zp_in);
            const __m512i pos = mf_requantize_avx512(d, pos_m, pos_s);
            const __m512i neg = mf_requantize_avx512(d, _mm512_maskz_loadu_epi32(keep, p->negative_multiplier + c),
                                                     _mm512_maskz_loadu_epi32(keep, p->negative_shift + c));
            const __m512i raw = _mm512_mask_blend_epi32(_mm512_cmpge_epi32_mask(d, zero), neg, pos);
            mf_store_s8x16_avx512(output + start + c, raw, zp_out, lo, hi, keep);
        }
    }
}

static MF_TARGET_AVX2 void prelu_avx2(const mf_prelu_s8_params *p, const int8_t *input, size_t count,
                                      int32_t channels, int8_t *output)
{
    const __m256i zp_in = _mm256_set1_epi32(p->input_zero_point), zp_out = _mm256_set1_epi32(p->output_zero_point);
    const __m256i pos_m = _mm256_set1_epi32(p->positive_multiplier), pos_s = _mm256_set1_epi32(p->positive_shift);
    const __m256i lo = _mm256_set1_epi32(-128), hi = _mm256_set1_epi32(127), minus_one = _mm256_set1_epi32(-1);
    for (size_t start = 0; start < count; start += (size_t)channels) {
        const size_t row = count - start < (size_t)channels ? count - start : (size_t)channels;
        for (size_t c = 0; c < row; c += 8) {
            const size_t left = row - c < 8 ? row - c : 8;
            int32_t m8[8] = {0}, s8[8] = {0};
            __builtin_memcpy(m8, p->negative_multiplier + c, left * sizeof(int32_t));
            __builtin_memcpy(s8, p->negative_shift + c, left * sizeof(int32_t));
            const __m256i d = _mm256_sub_epi32(mf_load_s8x8_avx2(input + start + c, left), zp_in);
            const __m256i pos = mf_requantize_avx2(d, pos_m, pos_s);
            const __m256i neg = mf_requantize_avx2(d, _mm256_loadu_si256((const __m256i *)(const void *)m8),
                                                   _mm256_loadu_si256((const __m256i *)(const void *)s8));
            const __m256i non_negative = _mm256_cmpgt_epi32(d, minus_one);
            mf_store_s8_avx2(output + start + c, _mm256_blendv_epi8(neg, pos, non_negative), zp_out, lo, hi,
                             (int32_t)left);
        }
    }
}

void mf_prelu_s8_x86(const mf_prelu_s8_params *p, const int8_t *input, size_t count, int32_t channels,
                     int8_t *output)
{
    const mf_x86_isa isa = mf_x86_isa_active();
    if (channels < 1) mf_prelu_s8(p, input, count, channels, output);
    else if (isa >= MF_X86_ISA_AVX512) prelu_avx512(p, input, count, channels, output);
    else if (isa >= MF_X86_ISA_AVX2) prelu_avx2(p, input, count, channels, output);
    else mf_prelu_s8(p, input, count, channels, output);
}
