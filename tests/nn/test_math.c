/* mf_expf / mf_erff / mf_tanhf against libm in double over a dense sweep of
 * float bit patterns (every 61st pattern of each sign, plus the edges), in
 * ulps of the correctly rounded float result. Bound: 2 ulp. */
#include "mf_test.h"
#include "nn/ops/ref/mf_math.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

static float from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* |got - want| in units of the float ulp at WANT. */
static double ulp_error(float got, double want)
{
    if (isnan(want)) return isnan(got) ? 0.0 : 1e9;
    if (isinf((float)want) || isinf(got)) return got == (float)want ? 0.0 : 1e9; /* overflow: want rounds to inf */
    double a = fabs(want);
    int e;
    frexp(a, &e); /* a in [2^(e-1), 2^e) */
    double ulp = ldexp(1.0, (e - 1) - 23 < -149 ? -149 : (e - 1) - 23);
    return fabs((double)got - want) / ulp;
}

typedef float (*mf_fn)(float);
typedef double (*ref_fn)(double);

static double sweep(const char *name, mf_fn f, ref_fn ref, float lo, float hi)
{
    double worst = 0.0;
    float worst_x = 0.0f;
    for (uint32_t sign = 0; sign < 2; sign++) {
        for (uint64_t b = 0; b < 0x7f800001u; b += (b < 0x7f800000u - 61 ? 61 : 1)) {
            float x = from_bits((uint32_t)b | sign << 31);
            if (!(x >= lo && x <= hi)) continue;
            double err = ulp_error(f(x), ref((double)x));
            if (err > worst) worst = err, worst_x = x;
        }
    }
    printf("%s: max error %.3f ulp at x = %.9g\n", name, worst, (double)worst_x);
    return worst;
}

static void test_expf(void) { MF_CHECK(sweep("mf_expf", mf_expf, exp, -110.0f, 90.0f) <= 2.0); }
static void test_erff(void) { MF_CHECK(sweep("mf_erff", mf_erff, erf, -10.0f, 10.0f) <= 2.0); }
static void test_tanhf(void) { MF_CHECK(sweep("mf_tanhf", mf_tanhf, tanh, -20.0f, 20.0f) <= 2.0); }

static void test_special_values(void)
{
    const float inf = from_bits(0x7f800000u), nan_ = from_bits(0x7fc00000u);
    MF_CHECK(mf_expf(inf) == inf);
    MF_CHECK(mf_expf(-inf) == 0.0f);
    MF_CHECK(mf_expf(0.0f) == 1.0f);
    MF_CHECK(isnan(mf_expf(nan_)) && isnan(mf_erff(nan_)) && isnan(mf_tanhf(nan_)));
    MF_CHECK(mf_erff(inf) == 1.0f && mf_erff(-inf) == -1.0f && mf_erff(0.0f) == 0.0f);
    MF_CHECK(mf_tanhf(inf) == 1.0f && mf_tanhf(-inf) == -1.0f && mf_tanhf(0.0f) == 0.0f);
    /* odd functions are exactly odd */
    for (float x = 0.001f; x < 8.0f; x *= 1.37f) {
        MF_CHECK(mf_erff(-x) == -mf_erff(x));
        MF_CHECK(mf_tanhf(-x) == -mf_tanhf(x));
    }
}

int main(void)
{
    MF_RUN(test_expf);
    MF_RUN(test_erff);
    MF_RUN(test_tanhf);
    MF_RUN(test_special_values);
    return mf_test_summary();
}
