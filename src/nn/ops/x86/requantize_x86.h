/* mf_requantize (nn/ops/ref/requantize.h, the one definition) on 8 (AVX2)
 * or 16 (AVX-512) int32 lanes, bit for bit: the saturating left shift, the
 * saturating rounding doubling high multiply computed in 64-bit halves
 * (even and odd lanes), and the rounding divide by a power of two with ties
 * away from zero. Per-lane multipliers and shifts, so per-channel requant
 * loads them straight from mf_channel_requant. Plus the final zero point,
 * clamp and narrowing stores every int8 twin ends with. */
#ifndef MCUFACE_NN_X86_REQUANTIZE_H
#define MCUFACE_NN_X86_REQUANTIZE_H
#include "nn/ops/x86/mf_x86_isa.h"
#include <immintrin.h>
#include <stdint.h>

static inline MF_TARGET_AVX2 __m256i mf_requantize_avx2(__m256i x, __m256i multiplier, __m256i shift)
{
    const __m256i zero = _mm256_setzero_si256(), one = _mm256_set1_epi32(1);
    const __m256i int32_max = _mm256_set1_epi32(INT32_MAX), int32_min = _mm256_set1_epi32(INT32_MIN);
    const __m256i left = _mm256_max_epi32(shift, zero);
    const __m256i right = _mm256_max_epi32(_mm256_sub_epi32(zero, shift), zero);
    /* x * 2^left, saturated: the shift overflowed when shifting back differs */
    __m256i y = _mm256_sllv_epi32(x, left);
    const __m256i fits = _mm256_cmpeq_epi32(_mm256_srav_epi32(y, left), x);
    const __m256i saturated = _mm256_xor_si256(int32_max, _mm256_srai_epi32(x, 31));
    y = _mm256_blendv_epi8(saturated, y, fits);
    /* (y * m + 2^30) >> 31 in 64 bits; bits 31..62 are the int32 result */
    const __m256i nudge = _mm256_set1_epi64x((int64_t)1 << 30);
    const __m256i even = _mm256_add_epi64(_mm256_mul_epi32(y, multiplier), nudge);
    const __m256i odd =
        _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(y, 32), _mm256_srli_epi64(multiplier, 32)), nudge);
    __m256i r = _mm256_blend_epi32(_mm256_srli_epi64(even, 31), _mm256_slli_epi64(odd, 1), 0xAA);
    /* INT32_MIN * INT32_MIN gives INT32_MIN above; VQRDMULH's answer is INT32_MAX */
    const __m256i both_min = _mm256_and_si256(_mm256_cmpeq_epi32(y, int32_min), _mm256_cmpeq_epi32(multiplier, int32_min));
    r = _mm256_xor_si256(r, both_min);
    /* rounding divide by 2^right, ties away from zero */
    const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right), one);
    const __m256i remainder = _mm256_and_si256(r, mask);
    const __m256i threshold = _mm256_sub_epi32(_mm256_srai_epi32(mask, 1), _mm256_srai_epi32(r, 31));
    return _mm256_sub_epi32(_mm256_srav_epi32(r, right), _mm256_cmpgt_epi32(remainder, threshold));
}

static inline MF_TARGET_AVX512 __m512i mf_requantize_avx512(__m512i x, __m512i multiplier, __m512i shift)
{
    const __m512i zero = _mm512_setzero_si512(), one = _mm512_set1_epi32(1);
    const __m512i int32_max = _mm512_set1_epi32(INT32_MAX), int32_min = _mm512_set1_epi32(INT32_MIN);
    const __m512i left = _mm512_max_epi32(shift, zero);
    const __m512i right = _mm512_max_epi32(_mm512_sub_epi32(zero, shift), zero);
    __m512i y = _mm512_sllv_epi32(x, left);
    const __mmask16 overflow = _mm512_cmpneq_epi32_mask(_mm512_srav_epi32(y, left), x);
    y = _mm512_mask_mov_epi32(y, overflow, _mm512_xor_si512(int32_max, _mm512_srai_epi32(x, 31)));
    const __m512i nudge = _mm512_set1_epi64((int64_t)1 << 30);
    const __m512i even = _mm512_add_epi64(_mm512_mul_epi32(y, multiplier), nudge);
    const __m512i odd =
        _mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(y, 32), _mm512_srli_epi64(multiplier, 32)), nudge);
    __m512i r = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 31), _mm512_slli_epi64(odd, 1));
    const __mmask16 both_min = _mm512_cmpeq_epi32_mask(y, int32_min) & _mm512_cmpeq_epi32_mask(multiplier, int32_min);
    r = _mm512_mask_mov_epi32(r, both_min, int32_max);
    const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, right), one);
    const __m512i remainder = _mm512_and_si512(r, mask);
    const __m512i threshold = _mm512_sub_epi32(_mm512_srai_epi32(mask, 1), _mm512_srai_epi32(r, 31));
    const __m512i quotient = _mm512_srav_epi32(r, right);
    return _mm512_mask_add_epi32(quotient, _mm512_cmpgt_epi32_mask(remainder, threshold), quotient, one);
}

/* The first COUNT (1..8; more reads 8) int8 values at SRC as 8 int32 lanes,
 * the rest 0, without reading past SRC + COUNT. */
static inline MF_TARGET_AVX2 __m256i mf_load_s8x8_avx2(const int8_t *src, size_t count)
{
    int64_t eight = 0;
    __builtin_memcpy(&eight, src, count < 8 ? count : 8);
    return _mm256_cvtepi8_epi32(_mm_cvtsi64_si128(eight));
}

/* q + zero_point clamped to [lo, hi] (within int8), the first COUNT (1..8)
 * lanes written as int8. */
static inline MF_TARGET_AVX2 void mf_store_s8_avx2(int8_t *dst, __m256i q, __m256i zero_point, __m256i lo,
                                                   __m256i hi, int32_t count)
{
    q = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(q, zero_point), lo), hi);
    const __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
    const __m128i bytes = _mm_packs_epi16(words, words);
    if (count >= 8) {
        _mm_storel_epi64((__m128i *)(void *)dst, bytes);
    } else {
        int8_t eight[16];
        _mm_storeu_si128((__m128i *)(void *)eight, bytes);
        __builtin_memcpy(dst, eight, (size_t)count);
    }
}

/* As mf_store_s8_avx2 for 16 lanes, writing only the lanes set in KEEP. */
static inline MF_TARGET_AVX512 void mf_store_s8x16_avx512(int8_t *dst, __m512i q, __m512i zero_point, __m512i lo,
                                                          __m512i hi, __mmask16 keep)
{
    q = _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(q, zero_point), lo), hi);
    _mm512_mask_cvtsepi32_storeu_epi8(dst, keep, q);
}
#endif
