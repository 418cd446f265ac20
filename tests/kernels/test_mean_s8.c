/* mf_mean_s8: hand-computed spatial and channel means (zero points, the
 * tie rounding), then random cases against the real mean, quantized
 * (within 1 LSB). */
#include "mf_test.h"
#include "nn/ops/mf_kernels_s8.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static void test_mean_by_hand(void)
{
    /* 1x2x2x2, input zero point 1, output zero point -2, equal scales: the
     * multiplier is 1/4 (2^30, shift -1). Over H and W (mask 0b0110):
     * channel 0: d = 1, 2, 3, 6 -> 12 / 4 = 3 -> 1;
     * channel 1: d = -1, -1, -1, -3 -> -6 / 4 = -1.5, ties away from zero -> -2 -> -4. */
    const mf_shape4 in = {1, 2, 2, 2};
    const int8_t x[8] = {2, 0, 3, 0, 4, 0, 7, -2};
    const mf_mean_s8_params p = {1, -2, 1 << 30, -1};
    int8_t got[2];
    mf_mean_s8(&p, &in, x, 6u, got);
    MF_CHECK_EQ_INT(got[0], 1);
    MF_CHECK_EQ_INT(got[1], -4);
    /* Over C only (mask 0b1000), multiplier 1/2 (2^30, shift 0), zero points 0:
     * pairs (2, 0) (3, 0) (4, 0) (7, -2) -> 1, 1.5 -> 2, 2, 2.5 -> 3 (srdhm ties upward). */
    const mf_mean_s8_params q = {0, 0, 1 << 30, 0};
    const int8_t want[4] = {1, 2, 2, 3};
    int8_t got4[4];
    mf_mean_s8(&q, &in, x, 8u, got4);
    mf_check_bytes("mean over c", got4, want, 4);
}

static double uniform(double lo, double hi) { return lo + (hi - lo) * rand() / (double)RAND_MAX; }

static void test_mean_vs_real(void)
{
    srand(9);
    int worst = 0;
    for (int t = 0; t < 100; t++) {
        const mf_shape4 in = {1, 1 + rand() % 9, 1 + rand() % 9, 1 + rand() % 5};
        const int count = in.h * in.w;
        const double si = uniform(0.005, 0.1), so = uniform(0.002, 0.1);
        mf_mean_s8_params p = {rand() % 256 - 128, rand() % 256 - 128, 0, 0};
        MF_CHECK_EQ_INT(mf_quantize_multiplier(si / (so * count), &p.multiplier, &p.shift), 0);
        int8_t x[9 * 9 * 5], got[5];
        for (int i = 0; i < count * in.c; i++) x[i] = (int8_t)(rand() % 256 - 128);
        mf_mean_s8(&p, &in, x, 6u, got);
        for (int c = 0; c < in.c; c++) {
            double sum = 0;
            for (int i = 0; i < count; i++) sum += si * (x[i * in.c + c] - p.input_zero_point);
            double q = round(sum / count / so) + p.output_zero_point;
            q = q < -128 ? -128 : q > 127 ? 127 : q;
            int diff = abs(got[c] - (int)q);
            if (diff > worst) worst = diff;
        }
    }
    MF_CHECK(worst <= 1);
}

int main(void)
{
    MF_RUN(test_mean_by_hand);
    MF_RUN(test_mean_vs_real);
    return mf_test_summary();
}
