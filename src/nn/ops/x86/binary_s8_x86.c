/* x86 twin of mf_binary_s8 (TFLite's int8 ADD / SUB / MUL), bit for bit:
 * the reference's combine() on 16 (AVX-512) or 8 (AVX2) lanes, each step
 * through mf_requantize's vector twin. Inputs of the output's shape only
 * (residual and FPN adds); a broadcast (MiniFASNet's squeeze-excitation
 * product) runs the reference. */
#include "nn/ops/x86/mf_kernels_s8_x86.h"
#include "nn/ops/x86/requantize_x86.h"

static int same_shape(const mf_shape4 *a, const mf_shape4 *b)
{
    return a->n == b->n && a->h == b->h && a->w == b->w && a->c == b->c;
}

static MF_TARGET_AVX512 void binary_avx512(mf_binary kind, const mf_binary_s8_params *p, const int8_t *a,
                                           const int8_t *b, size_t count, int8_t *output)
{
    const __m512i a_zp = _mm512_set1_epi32(p->a_zero_point), b_zp = _mm512_set1_epi32(p->b_zero_point);
    const __m512i a_m = _mm512_set1_epi32(p->a_multiplier), a_s = _mm512_set1_epi32(p->a_shift);
    const __m512i b_m = _mm512_set1_epi32(p->b_multiplier), b_s = _mm512_set1_epi32(p->b_shift);
    const __m512i o_m = _mm512_set1_epi32(p->output_multiplier), o_s = _mm512_set1_epi32(p->output_shift);
    const __m512i left = _mm512_set1_epi32(p->left_shift), o_zp = _mm512_set1_epi32(p->output_zero_point);
    const __m512i lo = _mm512_set1_epi32(p->act_min), hi = _mm512_set1_epi32(p->act_max);
    for (size_t i = 0; i < count; i += 16) {
        const size_t left_over = count - i;
        const __mmask16 keep = left_over >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left_over) - 1u);
        const __m512i x = _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(keep, a + i)), a_zp);
        const __m512i y = _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(keep, b + i)), b_zp);
        __m512i raw;
        if (kind == MF_BINARY_MUL) {
            raw = mf_requantize_avx512(_mm512_mullo_epi32(x, y), o_m, o_s);
        } else {
            const __m512i sa = mf_requantize_avx512(_mm512_sllv_epi32(x, left), a_m, a_s);
            const __m512i sb = mf_requantize_avx512(_mm512_sllv_epi32(y, left), b_m, b_s);
            raw = mf_requantize_avx512(_mm512_add_epi32(sa, sb), o_m, o_s); /* wraps, as the reference */
        }
        mf_store_s8x16_avx512(output + i, raw, o_zp, lo, hi, keep);
    }
}

static MF_TARGET_AVX2 void binary_avx2(mf_binary kind, const mf_binary_s8_params *p, const int8_t *a,
                                       const int8_t *b, size_t count, int8_t *output)
{
    const __m256i a_zp = _mm256_set1_epi32(p->a_zero_point), b_zp = _mm256_set1_epi32(p->b_zero_point);
    const __m256i a_m = _mm256_set1_epi32(p->a_multiplier), a_s = _mm256_set1_epi32(p->a_shift);
    const __m256i b_m = _mm256_set1_epi32(p->b_multiplier), b_s = _mm256_set1_epi32(p->b_shift);
    const __m256i o_m = _mm256_set1_epi32(p->output_multiplier), o_s = _mm256_set1_epi32(p->output_shift);
    const __m256i left = _mm256_set1_epi32(p->left_shift), o_zp = _mm256_set1_epi32(p->output_zero_point);
    const __m256i lo = _mm256_set1_epi32(p->act_min), hi = _mm256_set1_epi32(p->act_max);
    for (size_t i = 0; i < count; i += 8) {
        const size_t left_over = count - i;
        const __m256i x = _mm256_sub_epi32(mf_load_s8x8_avx2(a + i, left_over), a_zp);
        const __m256i y = _mm256_sub_epi32(mf_load_s8x8_avx2(b + i, left_over), b_zp);
        __m256i raw;
        if (kind == MF_BINARY_MUL) {
            raw = mf_requantize_avx2(_mm256_mullo_epi32(x, y), o_m, o_s);
        } else {
            const __m256i sa = mf_requantize_avx2(_mm256_sllv_epi32(x, left), a_m, a_s);
            const __m256i sb = mf_requantize_avx2(_mm256_sllv_epi32(y, left), b_m, b_s);
            raw = mf_requantize_avx2(_mm256_add_epi32(sa, sb), o_m, o_s);
        }
        mf_store_s8_avx2(output + i, raw, o_zp, lo, hi, left_over >= 8 ? 8 : (int32_t)left_over);
    }
}

void mf_binary_s8_x86(mf_binary kind, const mf_binary_s8_params *p, const mf_shape4 *a_shape, const int8_t *a,
                      const mf_shape4 *b_shape, const int8_t *b, const mf_shape4 *out, int8_t *output)
{
    const mf_x86_isa isa = mf_x86_isa_active();
    const int vector = (kind == MF_BINARY_ADD || kind == MF_BINARY_SUB || kind == MF_BINARY_MUL) &&
                       same_shape(a_shape, out) && same_shape(b_shape, out) && p->left_shift >= 0 &&
                       p->left_shift < 31;
    const size_t count = (size_t)out->n * out->h * out->w * out->c;
    if (vector && isa >= MF_X86_ISA_AVX512) binary_avx512(kind, p, a, b, count, output);
    else if (vector && isa >= MF_X86_ISA_AVX2) binary_avx2(kind, p, a, b, count, output);
    else mf_binary_s8(kind, p, a_shape, a, b_shape, b, out, output);
}
