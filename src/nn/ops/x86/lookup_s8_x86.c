/* x86 twin of mf_lookup_s8: 64 table look-ups per AVX-512 VBMI vpermi2b
 * pair (the 256-entry table in four registers, the index's top bit picking
 * the half). Without VBMI, and at the AVX2 level, the reference loop. */
#include "nn/ops/x86/mf_kernels_s8_x86.h"
#include <immintrin.h>

#define MF_TARGET_AVX512_VBMI __attribute__((target("avx2,avx512f,avx512bw,avx512vl,avx512vbmi")))

static MF_TARGET_AVX512_VBMI void lookup_vbmi(const int8_t *input, size_t count, const int8_t *table, int8_t *output)
{
    const __m512i t0 = _mm512_loadu_si512(table), t1 = _mm512_loadu_si512(table + 64);
    const __m512i t2 = _mm512_loadu_si512(table + 128), t3 = _mm512_loadu_si512(table + 192);
    const __m512i flip = _mm512_set1_epi8((char)0x80);
    for (size_t i = 0; i < count; i += 64) {
        const size_t left_over = count - i;
        const __mmask64 keep = left_over >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << left_over) - 1);
        /* input + 128 as an unsigned byte: flip the sign bit */
        const __m512i index = _mm512_xor_si512(_mm512_maskz_loadu_epi8(keep, input + i), flip);
        const __m512i low = _mm512_permutex2var_epi8(t0, index, t1), high = _mm512_permutex2var_epi8(t2, index, t3);
        const __m512i r = _mm512_mask_blend_epi8(_mm512_movepi8_mask(index), low, high);
        _mm512_mask_storeu_epi8(output + i, keep, r);
    }
}

void mf_lookup_s8_x86(const int8_t *input, size_t count, const int8_t *table, int8_t *output)
{
    if (mf_x86_isa_active() >= MF_X86_ISA_AVX512 && mf_x86_has_vbmi()) lookup_vbmi(input, count, table, output);
    else mf_lookup_s8(input, count, table, output);
}
