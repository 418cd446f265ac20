/* x86 twin of mf_quantize_f32_s8, bit for bit: the same IEEE division by
 * the scale (vdivps rounds as the scalar divide), the same clamp to +-1000
 * (NaN to -1000), lroundf's ties away from zero from the truncation and the
 * exact fraction v - trunc(v), then zero point and saturation. 16 (AVX-512)
 * or 8 (AVX2) values per step; may run in place (each step loads its
 * floats before it stores bytes over ones already read). */
#include "nn/ops/x86/mf_kernels_s8_x86.h"
#include "nn/ops/x86/requantize_x86.h"

static MF_TARGET_AVX512 void quantize_avx512(const float *input, size_t count, float scale, int32_t zero_point,
                                             int8_t *output)
{
    const __m512 s = _mm512_set1_ps(scale), lowest = _mm512_set1_ps(-1000.0f), highest = _mm512_set1_ps(1000.0f);
    const __m512 half = _mm512_set1_ps(0.5f), minus_half = _mm512_set1_ps(-0.5f);
    const __m512i one = _mm512_set1_epi32(1), zp = _mm512_set1_epi32(zero_point);
    const __m512i lo = _mm512_set1_epi32(-128), hi = _mm512_set1_epi32(127);
    for (size_t i = 0; i < count; i += 16) {
        const size_t left_over = count - i;
        const __mmask16 keep = left_over >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left_over) - 1u);
        __m512 v = _mm512_div_ps(_mm512_maskz_loadu_ps(keep, input + i), s);
        v = _mm512_mask_mov_ps(lowest, _mm512_cmp_ps_mask(v, lowest, _CMP_GT_OQ), v);
        v = _mm512_mask_mov_ps(v, _mm512_cmp_ps_mask(v, highest, _CMP_GT_OQ), highest);
        __m512i t = _mm512_cvttps_epi32(v);
        const __m512 frac = _mm512_sub_ps(v, _mm512_cvtepi32_ps(t));
        t = _mm512_mask_add_epi32(t, _mm512_cmp_ps_mask(frac, half, _CMP_GE_OQ), t, one);
        t = _mm512_mask_sub_epi32(t, _mm512_cmp_ps_mask(frac, minus_half, _CMP_LE_OQ), t, one);
        mf_store_s8x16_avx512(output + i, t, zp, lo, hi, keep);
    }
}

static MF_TARGET_AVX2 void quantize_avx2(const float *input, size_t count, float scale, int32_t zero_point,
                                         int8_t *output)
{
    const __m256 s = _mm256_set1_ps(scale), lowest = _mm256_set1_ps(-1000.0f), highest = _mm256_set1_ps(1000.0f);
    const __m256 half = _mm256_set1_ps(0.5f), minus_half = _mm256_set1_ps(-0.5f);
    const __m256i zp = _mm256_set1_epi32(zero_point), lo = _mm256_set1_epi32(-128), hi = _mm256_set1_epi32(127);
    for (size_t i = 0; i < count; i += 8) {
        const size_t left_over = count - i;
        float eight[8] = {0};
        const float *src = input + i;
        if (left_over < 8) {
            __builtin_memcpy(eight, src, left_over * sizeof(float));
            src = eight;
        }
        __m256 v = _mm256_div_ps(_mm256_loadu_ps(src), s);
        v = _mm256_blendv_ps(lowest, v, _mm256_cmp_ps(v, lowest, _CMP_GT_OQ));
        v = _mm256_blendv_ps(v, highest, _mm256_cmp_ps(v, highest, _CMP_GT_OQ));
        __m256i t = _mm256_cvttps_epi32(v);
        const __m256 frac = _mm256_sub_ps(v, _mm256_cvtepi32_ps(t));
        /* a true compare is all ones (-1): subtracting it adds 1 */
        t = _mm256_sub_epi32(t, _mm256_castps_si256(_mm256_cmp_ps(frac, half, _CMP_GE_OQ)));
        t = _mm256_add_epi32(t, _mm256_castps_si256(_mm256_cmp_ps(frac, minus_half, _CMP_LE_OQ)));
        mf_store_s8_avx2(output + i, t, zp, lo, hi, left_over >= 8 ? 8 : (int32_t)left_over);
    }
}

void mf_quantize_f32_s8_x86(const float *input, size_t count, float scale, int32_t zero_point, int8_t *output)
{
    const mf_x86_isa isa = mf_x86_isa_active();
    if (isa >= MF_X86_ISA_AVX512) quantize_avx512(input, count, scale, zero_point, output);
    else if (isa >= MF_X86_ISA_AVX2) quantize_avx2(input, count, scale, zero_point, output);
    else mf_quantize_f32_s8(input, count, scale, zero_point, output);
}
