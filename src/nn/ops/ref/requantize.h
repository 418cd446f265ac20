/* THE int8 requantization rounding of mcuface, used by every s8 kernel
 * (reference and Helium). It is TFLite's MultiplyByQuantizedMultiplier, as
 * CMSIS-NN's arm_nn_requantize without CMSIS_NN_USE_SINGLE_ROUNDING:
 *
 *   mf_requantize(x, m, s) =
 *     rounding_divide_by_pot(srdhm(saturate32(x * 2^max(s, 0)), m), max(-s, 0))
 *
 *   srdhm(a, b)  saturating rounding doubling high multiply (ARM VQRDMULH):
 *                (2ab + 2^31) >> 32 in 64-bit, and INT32_MAX for a = b = INT32_MIN;
 *                for b >= 0: round(a * b / 2^31), ties upward.
 *   rounding_divide_by_pot(x, e): x / 2^e rounded to nearest, ties away from zero
 *                (gemmlowp RoundingDivideByPOT).
 *
 * Two roundings, both defined on integers only, so x86 and the M55 agree bit
 * for bit; the Helium form is VQSHL, VQRDMULH, then VRSHL on x - (x < 0 && e > 0)
 * (round half up of x - 1 is round half away from zero of x). One deviation
 * from TFLite, which multiplies by 2^s with wrap-around (undefined in C): the
 * left shift saturates to int32 here (and VQSHL saturates the same way). */
#ifndef MCUFACE_NN_REF_REQUANTIZE_H
#define MCUFACE_NN_REF_REQUANTIZE_H
#include <stdint.h>

static inline int32_t mf_srdhm(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
    const int64_t ab = (int64_t)a * b;
    /* 2ab + 2^31, then an arithmetic shift by 32 (floor): computed as
     * (ab + 2^30) >> 31 to stay within int64, with a floor division. */
    const int64_t t = ab + ((int64_t)1 << 30);
    return (int32_t)(t >= 0 ? t >> 31 : -((-t + (((int64_t)1 << 31) - 1)) >> 31));
}

static inline int32_t mf_rounding_divide_by_pot(int32_t x, int32_t exponent)
{
    if (exponent <= 0) return x;
    const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

static inline int32_t mf_requantize(int32_t x, int32_t multiplier, int32_t shift)
{
    if (shift > 0) {
        const int64_t wide = (int64_t)x * ((int64_t)1 << shift);
        x = wide > INT32_MAX ? INT32_MAX : wide < INT32_MIN ? INT32_MIN : (int32_t)wide;
    }
    return mf_rounding_divide_by_pot(mf_srdhm(x, multiplier), shift < 0 ? -shift : 0);
}

static inline int8_t mf_clamp_s8(int32_t x, int32_t lo, int32_t hi)
{
    return (int8_t)(x < lo ? lo : x > hi ? hi : x);
}
#endif
