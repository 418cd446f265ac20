/* mf_pool_f32: hand-computed cases, then the PyTorch fixtures. */
#include "kernel_fixtures.h"

static const mf_shape4 k_in4x4 = {1, 4, 4, 1};
static const float k_ramp4x4[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

static void test_2x2_stride2(void)
{
    const mf_shape4 out = {1, 2, 2, 1};
    mf_pool_params p = {MF_POOL_MAX, 2, 2, 2, 2, 0, 0, 0, 0, 0};
    float got[4];
    const float max[4] = {6, 8, 14, 16}, avg[4] = {3.5f, 5.5f, 11.5f, 13.5f};
    mf_pool_f32(&p, &k_in4x4, k_ramp4x4, &out, got);
    mf_check_floats("max", got, max, 4, 0, 0);
    p.kind = MF_POOL_AVG;
    mf_pool_f32(&p, &k_in4x4, k_ramp4x4, &out, got);
    mf_check_floats("avg", got, avg, 4, 0, 0);
}

/* 3x3 stride 1 padding 1: the corner window holds 1, 2, 5, 6 (sum 14) and
 * five padding cells; the centre-left window (1, 0) holds 1, 2, 5, 6, 9, 10. */
static void test_avg_padding_counts(void)
{
    const mf_shape4 out = {1, 4, 4, 1};
    mf_pool_params p = {MF_POOL_AVG, 3, 3, 1, 1, 1, 1, 1, 1, 1};
    float got[16];
    mf_pool_f32(&p, &k_in4x4, k_ramp4x4, &out, got);
    MF_CHECK_NEAR(got[0], 14.0 / 9.0, 1e-6);
    MF_CHECK_NEAR(got[4], 33.0 / 9.0, 1e-6);
    MF_CHECK_NEAR(got[5], 54.0 / 9.0, 1e-6);
    p.count_include_pad = 0;
    mf_pool_f32(&p, &k_in4x4, k_ramp4x4, &out, got);
    MF_CHECK_NEAR(got[0], 14.0 / 4.0, 1e-6);
    MF_CHECK_NEAR(got[4], 33.0 / 6.0, 1e-6);
    MF_CHECK_NEAR(got[5], 54.0 / 9.0, 1e-6);
}

/* Padding never wins a max, even when every real value is negative. */
static void test_max_padding_negative(void)
{
    float x[16];
    for (int i = 0; i < 16; i++) x[i] = -k_ramp4x4[i];
    const mf_shape4 out = {1, 2, 2, 1};
    const mf_pool_params p = {MF_POOL_MAX, 3, 3, 2, 2, 1, 1, 1, 1, 1};
    const float want[4] = {-1, -2, -5, -6}; /* each window's top-left real cell */
    float got[4];
    mf_pool_f32(&p, &k_in4x4, x, &out, got);
    mf_check_floats("max_negative", got, want, 4, 0, 0);
}

static void test_max_nan(void)
{
    float x[16];
    memcpy(x, k_ramp4x4, sizeof x);
    x[0] = NAN; /* only the first window sees it */
    const mf_shape4 out = {1, 2, 2, 1};
    const mf_pool_params p = {MF_POOL_MAX, 2, 2, 2, 2, 0, 0, 0, 0, 0};
    float got[4];
    mf_pool_f32(&p, &k_in4x4, x, &out, got);
    MF_CHECK(isnan(got[0]));
    MF_CHECK(got[1] == 8 && got[2] == 14 && got[3] == 16);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "pool")) return;
    while (kf_next(&f, &c)) {
        const int32_t *q = c.ints;
        const mf_pool_params p = {(mf_pool)q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9]};
        const kf_array *x = &c.arrays[0], *want = &c.arrays[1];
        float *got = kf_output(want->count);
        mf_pool_f32(&p, &x->shape, x->data, &want->shape, got);
        kf_compare(&c, got, want, p.kind == MF_POOL_MAX ? 0 : 1e-6, p.kind == MF_POOL_MAX ? 0 : 1e-6);
        free(got);
    }
    kf_close(&f);
}

int main(void)
{
    MF_RUN(test_2x2_stride2);
    MF_RUN(test_avg_padding_counts);
    MF_RUN(test_max_padding_negative);
    MF_RUN(test_max_nan);
    MF_RUN(test_torch_fixtures);
    return kf_summary();
}
