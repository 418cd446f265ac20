/* The int8 requantization rounding (nn/ops/ref/requantize.h), the multiplier
 * helpers, and the cheap int8 kernels (binary, pool, concat): hand-computed
 * expectations and float cross-checks within 1 LSB. */
#include "mf_test.h"
#include "nn/ops/mf_kernels_s8.h"
#include "nn/ops/ref/requantize.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static void test_rounding_by_hand(void)
{
    const int32_t half = 1 << 30; /* Q31 0.5 */
    MF_CHECK_EQ_INT(mf_srdhm(3, half), 2);   /* 1.5 -> 2: ties up */
    MF_CHECK_EQ_INT(mf_srdhm(-3, half), -1); /* -1.5 -> -1: ties up (VQRDMULH) */
    MF_CHECK_EQ_INT(mf_srdhm(INT32_MIN, INT32_MIN), INT32_MAX);
    MF_CHECK_EQ_INT(mf_rounding_divide_by_pot(3, 1), 2);   /* 1.5 -> 2 */
    MF_CHECK_EQ_INT(mf_rounding_divide_by_pot(-3, 1), -2); /* -1.5 -> -2: ties away from zero */
    MF_CHECK_EQ_INT(mf_rounding_divide_by_pot(-5, 2), -1); /* -1.25 */
    MF_CHECK_EQ_INT(mf_rounding_divide_by_pot(-6, 2), -2); /* -1.5 */
    MF_CHECK_EQ_INT(mf_rounding_divide_by_pot(7, 0), 7);
    MF_CHECK_EQ_INT(mf_requantize(6, half, -1), 2);   /* 6 * 0.25 = 1.5 -> 2 */
    MF_CHECK_EQ_INT(mf_requantize(-6, half, -1), -2); /* srdhm -3, then -1.5 -> -2 */
    MF_CHECK_EQ_INT(mf_requantize(10, half, 1), 10);  /* 10 * 2 * 0.5 */
    MF_CHECK_EQ_INT(mf_requantize(INT32_MAX, half, 1), 1 << 30); /* the left shift saturates */
    MF_CHECK_EQ_INT(mf_requantize(INT32_MIN, half, 1), -(1 << 30));
}

static void test_quantize_multiplier(void)
{
    int32_t m, s;
    mf_quantize_multiplier(0.5, &m, &s);
    MF_CHECK(m == (1 << 30) && s == 0);
    mf_quantize_multiplier(0.25, &m, &s);
    MF_CHECK(m == (1 << 30) && s == -1);
    mf_quantize_multiplier(1.0, &m, &s);
    MF_CHECK(m == (1 << 30) && s == 1);
    mf_quantize_multiplier(0.75, &m, &s);
    MF_CHECK(m == 3 << 29 && s == 0);
    mf_quantize_multiplier(0.0, &m, &s);
    MF_CHECK(m == 0 && s == 0);
    MF_CHECK_EQ_INT(mf_quantize_multiplier(NAN, &m, &s), -1);
    /* Random reals: the pair represents them to 2^-31 relative, and the
     * requantized value is the rounded product within 1. */
    srand(7);
    for (int i = 0; i < 2000; i++) {
        const double real = ldexp((double)rand() / RAND_MAX + 0.01, -(rand() % 20));
        mf_quantize_multiplier(real, &m, &s);
        MF_CHECK(m >= (1 << 30));
        MF_CHECK_NEAR(ldexp((double)m, s - 31), real, real * 1e-9);
        const int32_t x = rand() % 2000001 - 1000000;
        MF_CHECK_NEAR(mf_requantize(x, m, s), x * real, 1.0);
    }
}

static double uniform(double lo, double hi) { return lo + (hi - lo) * rand() / (double)RAND_MAX; }
static int8_t quantize(double real, double scale, int32_t zero_point)
{
    return mf_clamp_s8((int32_t)lround(real / scale) + zero_point, -128, 127);
}

/* ADD, SUB, MUL against the real-valued result, quantized: within 1 LSB. */
static void test_binary_vs_real(void)
{
    static const mf_binary kinds[3] = {MF_BINARY_ADD, MF_BINARY_SUB, MF_BINARY_MUL};
    srand(11);
    int worst = 0;
    for (int t = 0; t < 300; t++) {
        const mf_binary kind = kinds[t % 3];
        const double sa = uniform(0.002, 0.1), sb = uniform(0.002, 0.1), so = uniform(0.01, 0.2);
        const int32_t za = rand() % 256 - 128, zb = rand() % 256 - 128, zo = rand() % 256 - 128;
        mf_binary_s8_params p;
        MF_CHECK_EQ_INT(mf_binary_s8_params_init(kind, sa, za, sb, zb, so, zo, -128, 127, &p), 0);
        const mf_shape4 shape = {1, 1, 4, 16};
        int8_t a[64], b[64], got[64];
        for (int i = 0; i < 64; i++) a[i] = (int8_t)(rand() % 256 - 128), b[i] = (int8_t)(rand() % 256 - 128);
        mf_binary_s8(kind, &p, &shape, a, &shape, b, &shape, got);
        for (int i = 0; i < 64; i++) {
            const double ra = sa * (a[i] - za), rb = sb * (b[i] - zb);
            const double real = kind == MF_BINARY_ADD ? ra + rb : kind == MF_BINARY_SUB ? ra - rb : ra * rb;
            const int diff = abs(got[i] - quantize(real, so, zo));
            if (diff > worst) worst = diff;
        }
    }
    MF_CHECK(worst <= 1);
}

static void test_binary_broadcast_by_hand(void)
{
    /* Scales 1, zero points 0: ADD is a saturating int8 add; b broadcast over w. */
    mf_binary_s8_params p;
    mf_binary_s8_params_init(MF_BINARY_ADD, 1.0, 0, 1.0, 0, 1.0, 0, -128, 127, &p);
    const mf_shape4 as = {1, 1, 3, 2}, bs = {1, 1, 1, 2};
    const int8_t a[6] = {1, 2, 3, 4, 120, -120}, b[2] = {10, -10}, want[6] = {11, -8, 13, -6, 127, -128};
    int8_t got[6];
    mf_binary_s8(MF_BINARY_ADD, &p, &as, a, &bs, b, &as, got);
    mf_check_bytes("add_broadcast", got, want, 6);
    /* MUL with zero points: (3 - 1) * (5 - 2) * 0.5 + 4 = 7; clamp at 6. */
    mf_binary_s8_params_init(MF_BINARY_MUL, 1.0, 1, 1.0, 2, 2.0, 4, -128, 6, &p);
    const mf_shape4 one = {1, 1, 1, 1};
    const int8_t x = 3, y = 5;
    int8_t z;
    mf_binary_s8(MF_BINARY_MUL, &p, &one, &x, &one, &y, &one, &z);
    MF_CHECK_EQ_INT(z, 6);
    /* Squeeze-excitation: [1,2,2,2] x [1,1,1,2] gate, scales 1 x 1/128 -> 1
     * (2^30, shift -6), gate zero point -128: x * (g + 128) / 128, rounded. */
    mf_binary_s8_params_init(MF_BINARY_MUL, 1.0, 0, 1.0 / 128, -128, 1.0, 0, -128, 127, &p);
    const mf_shape4 xs = {1, 2, 2, 2}, gs = {1, 1, 1, 2};
    const int8_t xv[8] = {10, 10, -7, -7, 100, 100, 3, 3}, gate[2] = {-64, 0};
    /* channel 0 x 0.5: 5, -3.5 -> -4, 50, 1.5 -> 2;  channel 1 x 1: unchanged */
    const int8_t se_want[8] = {5, 10, -4, -7, 50, 100, 2, 3};
    int8_t se_got[8];
    mf_binary_s8(MF_BINARY_MUL, &p, &xs, xv, &gs, gate, &xs, se_got);
    mf_check_bytes("se_broadcast_mul", se_got, se_want, 8);
}

static void test_pool_by_hand(void)
{
    /* 2x2 single-channel windows: avg rounds ties away from zero. */
    const mf_shape4 in = {1, 2, 4, 1}, out = {1, 1, 2, 1};
    const int8_t x[8] = {1, 2, -1, -2, 0, 0, 0, 0}; /* rows: [1 2 -1 -2], [0 0 0 0] */
    mf_pool_params p = {MF_POOL_AVG, 2, 2, 2, 2, 0, 0, 0, 0, 0};
    int8_t got[2];
    mf_pool_s8(&p, 0, -128, 127, &in, x, &out, got);
    const int8_t want_avg[2] = {1, -1}; /* 3/4 -> 1, -3/4 -> -1 */
    mf_check_bytes("avg", got, want_avg, 2);
    const int8_t y[8] = {1, 3, -1, -3, 0, 0, 0, 0}; /* sums 4 and -4: 1, -1; with 2 taps: 2, -2 */
    const mf_shape4 in1 = {1, 1, 4, 1};
    mf_pool_params p1 = {MF_POOL_AVG, 1, 2, 1, 2, 0, 0, 0, 0, 0};
    mf_pool_s8(&p1, 0, -128, 127, &in1, y, &out, got);
    const int8_t want_ties[2] = {2, -2};
    mf_check_bytes("avg_ties", got, want_ties, 2);
    p.kind = MF_POOL_MAX;
    mf_pool_s8(&p, 0, -128, 127, &in, x, &out, got);
    const int8_t want_max[2] = {2, 0};
    mf_check_bytes("max", got, want_max, 2);
    /* Padding with count_include_pad averages the zero point in: (8 + 3 * 5) / 4 = 5.75 -> 6. */
    const mf_shape4 in2 = {1, 1, 1, 1}, out2 = {1, 1, 1, 1};
    const int8_t v = 8;
    mf_pool_params pp = {MF_POOL_AVG, 2, 2, 1, 1, 1, 1, 0, 0, 1};
    mf_pool_s8(&pp, 5, -128, 127, &in2, &v, &out2, got);
    MF_CHECK_EQ_INT(got[0], 6);
}

static void test_concat(void)
{
    const int8_t a[4] = {1, 2, 3, 4}, b[2] = {-1, -2};
    const int8_t *inputs[2] = {a, b};
    const int32_t inner[2] = {2, 1};
    int8_t got[6];
    const int8_t want[6] = {1, 2, -1, 3, 4, -2};
    mf_concat_s8(inputs, inner, 2, 2, got);
    mf_check_bytes("concat", got, want, 6);
}

int main(void)
{
    MF_RUN(test_rounding_by_hand);
    MF_RUN(test_quantize_multiplier);
    MF_RUN(test_binary_vs_real);
    MF_RUN(test_binary_broadcast_by_hand);
    MF_RUN(test_pool_by_hand);
    MF_RUN(test_concat);
    return mf_test_summary();
}
