/* mf_softmax_f32: hand-computed cases, then the PyTorch fixtures. */
#include "kernel_fixtures.h"

static void test_rows(void)
{
    /* softmax(0, ln 2) = (1/3, 2/3); a row of huge equal logits must not overflow. */
    const float x[4] = {0, 0.69314718f, 1000, 1000};
    const float want[4] = {1.0f / 3, 2.0f / 3, 0.5f, 0.5f};
    float got[4];
    mf_softmax_f32(x, 2, 2, got);
    mf_check_floats("softmax", got, want, 4, 1e-7, 1e-7);
    const float one[1] = {-5}, want_one[1] = {1};
    mf_softmax_f32(one, 1, 1, got);
    mf_check_floats("softmax_single", got, want_one, 1, 0, 0);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "softmax")) return;
    while (kf_next(&f, &c)) {
        const kf_array *x = &c.arrays[0], *want = &c.arrays[1];
        float *got = kf_output(want->count);
        mf_softmax_f32(x->data, kf_rows(&x->shape), x->shape.c, got);
        kf_compare(&c, got, want, 1e-6, 1e-5);
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
