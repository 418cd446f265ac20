/* Deterministic float exp / erf / tanh (see mf_math.h). Polynomial
 * coefficients: tools/math/fit_mf_math.py (least squares in double, mpmath
 * reference values); exp uses its Taylor series. */
#include "nn/ops/ref/mf_math.h"

#include <stdint.h>
#include <string.h>

static float from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static uint32_t to_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/* 2^n for n in [-126, 127], exact. */
static float pow2i(int n) { return from_bits((uint32_t)(n + 127) << 23); }

/* Horner, highest coefficient last in C, fixed order. */
static float poly(const float *c, int n, float x)
{
    float y = c[n - 1];
    for (int i = n - 2; i >= 0; i--) y = y * x + c[i];
    return y;
}

float mf_expf(float x)
{
    if (x != x) return x + x;
    if (x > 88.72283935546875f) return from_bits(0x7f800000u); /* overflows to +inf */
    if (x < -103.97208404541016f) return 0.0f;                 /* below half the smallest subnormal */
    /* x = n ln2 + r, |r| <= ln2 / 2; ln2 split so that n * LN2_HI is exact */
    const float LOG2E = 1.44269502162933349609f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    float t = x * LOG2E;
    int n = (int)(t + (t >= 0.0f ? 0.5f : -0.5f));
    float r = (x - (float)n * LN2_HI) - (float)n * LN2_LO;
    /* Taylor to r^7: truncation below 5e-9 relative for |r| <= 0.35 */
    static const float c[] = {1.0f / 2, 1.0f / 6, 1.0f / 24, 1.0f / 120, 1.0f / 720, 1.0f / 5040};
    float p = 1.0f + (r + r * r * poly(c, 6, r));
    if (n > 127) return p * pow2i(127) * pow2i(n - 127);
    if (n < -126) return p * pow2i(n + 64) * pow2i(-64); /* one rounding, into the subnormals */
    return p * pow2i(n);
}

/* erf(x) / x - 1 = P(x^2), |x| < 1 (the 1 kept out of the polynomial: erf = x + x P
 * rounds once at the end instead of carrying 1.13's rounding through Horner) */
static const float ERF_SMALL[] = {1.283791671e-01f, -3.761263788e-01f, 1.128379181e-01f, -2.686616965e-02f,
                                  5.223966669e-03f, -8.547923062e-04f, 1.204606160e-04f, -1.479289767e-05f,
                                  1.529413908e-06f, -1.044003213e-07f};
/* erfc(x) exp(x^2) = Q(x - 1.5), x in [1, 2] */
static const float ERFC_1_2[] = {3.215854168e-01f, -1.636229157e-01f, 7.615104318e-02f, -3.293089941e-02f,
                                 1.337733772e-02f, -5.146096461e-03f, 1.886194805e-03f, -6.606687675e-04f,
                                 2.228506492e-04f, -7.764097245e-05f, 2.447622319e-05f};
/* erfc(x) exp(x^2) = Q(x - 3), x in [2, 4] */
static const float ERFC_2_4[] = {1.790011525e-01f, -5.437226221e-02f, 1.588437147e-02f, -4.479414318e-03f,
                                 1.223031897e-03f, -3.242170205e-04f, 8.358425112e-05f, -2.078340185e-05f,
                                 5.089237220e-06f, -1.433460511e-06f, 3.385940488e-07f};

float mf_erff(float x)
{
    if (x != x) return x + x;
    float a = x < 0.0f ? -x : x, y;
    if (a < 1.0f) {
        y = a + a * poly(ERF_SMALL, 10, a * a);
    } else if (a < 4.0f) {
        /* exp(-a^2) with a^2 split exactly: hi has 12 significant bits, so hi*hi is exact */
        float hi = from_bits(to_bits(a) & 0xfffff000u);
        float e = mf_expf(-hi * hi) * mf_expf(-(a - hi) * (a + hi));
        float q = a < 2.0f ? poly(ERFC_1_2, 11, a - 1.5f) : poly(ERFC_2_4, 11, a - 3.0f);
        y = 1.0f - e * q;
    } else {
        y = 1.0f; /* erfc(4) = 1.5e-8 rounds away */
    }
    return x < 0.0f ? -y : y;
}

/* (tanh(x) - x) / x^3 = P(x^2), |x| < 0.625 */
static const float TANH_SMALL[] = {-3.333333433e-01f, 1.333333403e-01f, -5.396825075e-02f,
                                   2.186943032e-02f,  -8.862441406e-03f, 3.586083418e-03f,
                                   -1.428432763e-03f, 5.155404215e-04f,  -1.221498096e-04f};

float mf_tanhf(float x)
{
    if (x != x) return x + x;
    float a = x < 0.0f ? -x : x, y;
    if (a < 0.625f) {
        float t = a * a;
        y = a + a * t * poly(TANH_SMALL, 9, t);
    } else if (a < 9.5f) {
        y = 1.0f - 2.0f / (mf_expf(2.0f * a) + 1.0f);
    } else {
        y = 1.0f; /* 1 - tanh(9.5) < 2^-27 */
    }
    return x < 0.0f ? -y : y;
}
