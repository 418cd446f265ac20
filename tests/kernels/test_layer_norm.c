/* mf_layer_norm_f32: hand-computed cases, then the PyTorch fixtures. */
#include "kernel_fixtures.h"

/* (1, 2, 3): mean 2, variance 2/3, so (x - 2) / sqrt(2/3) = (-1.2247449, 0, 1.2247449). */
static void test_affine(void)
{
    const float x[3] = {1, 2, 3};
    const float plain[3] = {-1.22474487f, 0, 1.22474487f};
    const float gamma[3] = {1, 2, 3}, beta[3] = {0, 0, 1};
    const float affine[3] = {-1.22474487f, 0, 1 + 3 * 1.22474487f};
    float got[3];
    mf_layer_norm_f32(x, 1, 3, NULL, NULL, 0, got);
    mf_check_floats("plain", got, plain, 3, 1e-6, 1e-6);
    mf_layer_norm_f32(x, 1, 3, gamma, beta, 0, got);
    mf_check_floats("affine", got, affine, 3, 1e-6, 1e-6);
}

/* eps is added to the variance: (0, 2) has variance 1, eps 1 -> divide by sqrt 2.
 * A constant row normalises to beta (0 / sqrt(eps)). */
static void test_eps(void)
{
    const float x[5] = {0, 2, 5, 5, 5};
    const float want[2] = {-0.70710678f, 0.70710678f}, flat[3] = {0, 0, 0};
    float got[3];
    mf_layer_norm_f32(x, 1, 2, NULL, NULL, 1.0f, got);
    mf_check_floats("eps", got, want, 2, 1e-7, 1e-7);
    mf_layer_norm_f32(x + 2, 1, 3, NULL, NULL, 1e-5f, got);
    mf_check_floats("constant_row", got, flat, 3, 0, 0);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "layer_norm")) return;
    while (kf_next(&f, &c)) {
        const kf_array *x = &c.arrays[0], *gamma = &c.arrays[1], *beta = &c.arrays[2], *want = &c.arrays[3];
        float *got = kf_output(want->count);
        mf_layer_norm_f32(x->data, kf_rows(&x->shape), x->shape.c, gamma->count ? gamma->data : NULL,
                          beta->count ? beta->data : NULL, c.floats[0], got);
        kf_compare(&c, got, want, 1e-5, 1e-5);
        free(got);
    }
    kf_close(&f);
}

int main(void)
{
    MF_RUN(test_affine);
    MF_RUN(test_eps);
    MF_RUN(test_torch_fixtures);
    return kf_summary();
}
