/* Helium building blocks shared by the int8 twins. */
#ifndef MCUFACE_NN_MVE_S8_H
#define MCUFACE_NN_MVE_S8_H
#include <arm_mve.h>
#include <stdint.h>

/* nn/ops/ref/requantize.h's mf_requantize on four lanes, each with its own
 * multiplier and shift: VQSHL (saturating left shift), VQRDMULH (= mf_srdhm),
 * then a rounding right shift. VRSHL rounds ties up; subtracting 1 from
 * negative values first (when the shift is not 0) turns that into ties away
 * from zero, as mf_rounding_divide_by_pot. */
static inline int32x4_t mf_mve_requantize(int32x4_t x, int32x4_t multiplier, int32x4_t shift)
{
    const int32x4_t zero = vdupq_n_s32(0);
    const int32x4_t left = vmaxq_s32(shift, zero);
    const int32x4_t minus_right = vminq_s32(shift, zero); /* -right shift, <= 0 */
    x = vqrdmulhq_s32(vqshlq_s32(x, left), multiplier);
    /* sign bit of (x & -right) is set iff x < 0 and right > 0 */
    const int32x4_t fixup = vshrq_n_s32(vandq_s32(x, minus_right), 31);
    return vrshlq_s32(vqaddq_s32(x, fixup), minus_right);
}

/* + output zero point, clamp, then the low byte of each lane stored. */
static inline void mf_mve_store_s8(int8_t *dst, int32x4_t q, int32_t zero_point, int32_t lo, int32_t hi,
                                   mve_pred16_t lanes)
{
    q = vaddq_n_s32(q, zero_point);
    q = vminq_s32(vmaxq_s32(q, vdupq_n_s32(lo)), vdupq_n_s32(hi));
    vstrbq_p_s32(dst, q, lanes);
}

/* Sum of n int8 values. */
static inline int32_t mf_mve_sum_s8(const int8_t *x, int32_t n)
{
    int32_t sum = 0;
    for (int32_t i = 0; i < n; i += 16) sum = vaddvaq_s8(sum, vldrbq_z_s8(x + i, vctp8q((uint32_t)(n - i))));
    return sum;
}

/* Dot products of x with four weight rows w0..w3 (n int8 each), one load of
 * x per 16 lanes. Whole vectors first, unpredicated (GCC otherwise saves and
 * restores the predicate around every load), then one predicated tail whose
 * inactive lanes load as zeros. */
static inline int32x4_t mf_mve_dot4_s8(const int8_t *x, const int8_t *w0, const int8_t *w1, const int8_t *w2,
                                       const int8_t *w3, int32_t n)
{
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    int32_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const int8x16_t v = vldrbq_s8(x + i);
        a0 = vmladavaq_s8(a0, v, vldrbq_s8(w0 + i));
        a1 = vmladavaq_s8(a1, v, vldrbq_s8(w1 + i));
        a2 = vmladavaq_s8(a2, v, vldrbq_s8(w2 + i));
        a3 = vmladavaq_s8(a3, v, vldrbq_s8(w3 + i));
    }
    if (i < n) {
        const mve_pred16_t p = vctp8q((uint32_t)(n - i));
        const int8x16_t v = vldrbq_z_s8(x + i, p);
        a0 = vmladavaq_s8(a0, v, vldrbq_z_s8(w0 + i, p));
        a1 = vmladavaq_s8(a1, v, vldrbq_z_s8(w1 + i, p));
        a2 = vmladavaq_s8(a2, v, vldrbq_z_s8(w2 + i, p));
        a3 = vmladavaq_s8(a3, v, vldrbq_z_s8(w3 + i, p));
    }
    int32x4_t r = vdupq_n_s32(a0);
    r = vsetq_lane_s32(a1, r, 1);
    r = vsetq_lane_s32(a2, r, 2);
    return vsetq_lane_s32(a3, r, 3);
}
#endif
