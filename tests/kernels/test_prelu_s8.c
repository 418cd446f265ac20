/* mf_prelu_s8: hand-computed branches, ties and signs, then random cases
 * against dequantize -> PReLU in double -> quantize (within 1 LSB: the
 * kernel rounds twice, in srdhm and in the shift). */
#include "mf_test.h"
#include "nn/ops/mf_kernels_s8.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static void test_prelu_by_hand(void)
{
    /* Input zero point 2, output zero point -3, input/output scale ratio 0.5
     * (2^30, shift 0). Channel 0: slope 0.25 -> 0.125 (2^30, shift -2);
     * channel 1: slope -1 -> -0.5 (the multiplier negated). */
    const int32_t neg_mult[2] = {1 << 30, -(1 << 30)}, neg_shift[2] = {-2, 0};
    const mf_prelu_s8_params p = {2, -3, 1 << 30, 0, neg_mult, neg_shift};
    /* d = x - 2:  8 (c0), 8 (c1), -8 (c0), -8 (c1), 0 (c0), -128 (c1), -4 (c0), 125 (c1)
     * 8 x 0.5 = 4 -> 1;  -8 x 0.125 = -1 -> -4;  -8 x -0.5 = 4 -> 1;  0 -> -3;
     * -128 x -0.5 = 64 -> 61;  -4 x 0.125 = -0.5, ties away from zero -> -1 -> -4;
     * 125 x 0.5 = 62.5, srdhm ties upward -> 63 -> 60 */
    const int8_t x[8] = {10, 10, -6, -6, 2, -126, -2, 127};
    const int8_t want[8] = {1, 1, -4, 1, -3, 61, -4, 60};
    int8_t got[8];
    mf_prelu_s8(&p, x, 8, 2, got);
    mf_check_bytes("prelu", got, want, 8);
    /* in place, and the int8 clamps: ratio 4 (2^30, shift 3) on both branches */
    const int32_t four_mult[2] = {1 << 30, 1 << 30}, four_shift[2] = {3, 3};
    const mf_prelu_s8_params big = {0, 0, 1 << 30, 3, four_mult, four_shift};
    int8_t y[2] = {100, -100};
    mf_prelu_s8(&big, y, 2, 2, y);
    MF_CHECK_EQ_INT(y[0], 127);
    MF_CHECK_EQ_INT(y[1], -128);
}

static double uniform(double lo, double hi) { return lo + (hi - lo) * rand() / (double)RAND_MAX; }

static void test_prelu_vs_real(void)
{
    srand(5);
    int worst = 0;
    for (int t = 0; t < 200; t++) {
        enum { C = 7, N = 3 * C };
        const double si = uniform(0.005, 0.1), so = uniform(0.005, 0.1);
        const int32_t zi = rand() % 256 - 128, zo = rand() % 256 - 128;
        double slopes[C];
        int32_t nm[C], ns[C], pm, ps;
        MF_CHECK_EQ_INT(mf_quantize_multiplier(si / so, &pm, &ps), 0);
        for (int c = 0; c < C; c++) {
            slopes[c] = uniform(-1.5, 1.5);
            MF_CHECK_EQ_INT(mf_quantize_multiplier(si * fabs(slopes[c]) / so, &nm[c], &ns[c]), 0);
            if (slopes[c] < 0) nm[c] = -nm[c];
        }
        const mf_prelu_s8_params p = {zi, zo, pm, ps, nm, ns};
        int8_t x[N], got[N];
        for (int i = 0; i < N; i++) x[i] = (int8_t)(rand() % 256 - 128);
        mf_prelu_s8(&p, x, N, C, got);
        for (int i = 0; i < N; i++) {
            double r = si * (x[i] - zi);
            if (r < 0) r *= slopes[i % C];
            double q = round(r / so) + zo;
            q = q < -128 ? -128 : q > 127 ? 127 : q;
            int diff = abs(got[i] - (int)q);
            if (diff > worst) worst = diff;
        }
    }
    MF_CHECK(worst <= 1);
}

int main(void)
{
    MF_RUN(test_prelu_by_hand);
    MF_RUN(test_prelu_vs_real);
    return mf_test_summary();
}
