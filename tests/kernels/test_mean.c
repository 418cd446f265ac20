/* mf_mean_f32: hand-computed cases, then the PyTorch fixtures. */
#include "kernel_fixtures.h"

/* [1,1,2,3] = {1..6}: over c -> (2, 5); over w -> (2.5, 3.5, 4.5); over all -> 3.5. */
static void test_axes(void)
{
    const mf_shape4 in = {1, 1, 2, 3};
    const float x[6] = {1, 2, 3, 4, 5, 6};
    const float over_c[2] = {2, 5}, over_w[3] = {2.5f, 3.5f, 4.5f}, over_all[1] = {3.5f};
    float got[3];
    mf_mean_f32(&in, x, 1u << 3, got);
    mf_check_floats("mean_c", got, over_c, 2, 0, 0);
    mf_mean_f32(&in, x, 1u << 2, got);
    mf_check_floats("mean_w", got, over_w, 3, 0, 0);
    mf_mean_f32(&in, x, 0xFu, got);
    mf_check_floats("mean_all", got, over_all, 1, 0, 0);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "mean")) return;
    while (kf_next(&f, &c)) {
        const kf_array *x = &c.arrays[0], *want = &c.arrays[1];
        float *got = kf_output(want->count);
        mf_mean_f32(&x->shape, x->data, (uint32_t)c.ints[0], got);
        /* Summed in float, in input order: up to 4096 terms (global_64x64). */
        kf_compare(&c, got, want, 1e-5, 1e-5);
        free(got);
    }
    kf_close(&f);
}

int main(void)
{
    MF_RUN(test_axes);
    MF_RUN(test_torch_fixtures);
    return kf_summary();
}
