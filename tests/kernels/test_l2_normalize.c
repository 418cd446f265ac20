/* mf_l2_normalize_f32: hand-computed cases, then the PyTorch fixtures. */
#include "kernel_fixtures.h"

/* (3, 4) / 5; a zero row stays zero; below eps the divisor is eps itself. */
static void test_rows(void)
{
    const float x[6] = {3, 4, 0, 0, 0.001f, 0};
    const float want[6] = {0.6f, 0.8f, 0, 0, 0.01f, 0};
    float got[6];
    mf_l2_normalize_f32(x, 3, 2, 0.1f, got);
    mf_check_floats("l2", got, want, 6, 1e-7, 1e-7);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "l2_normalize")) return;
    while (kf_next(&f, &c)) {
        const kf_array *x = &c.arrays[0], *want = &c.arrays[1];
        float *got = kf_output(want->count);
        mf_l2_normalize_f32(x->data, kf_rows(&x->shape), x->shape.c, c.floats[0], got);
        kf_compare(&c, got, want, 1e-6, 1e-6);
        free(got);
    }
    kf_close(&f);
}

int main(void)
{
    MF_RUN(test_rows);
    MF_RUN(test_torch_fixtures);
    return kf_summary();
}
