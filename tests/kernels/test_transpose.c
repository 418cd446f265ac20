/* mf_transpose_f32: hand-computed cases, then the PyTorch fixtures (all 24 perms). */
#include "kernel_fixtures.h"

/* [1,1,2,3] {1..6} with the last two axes swapped is the 3x2 matrix transpose. */
static void test_matrix(void)
{
    const mf_shape4 in = {1, 1, 2, 3};
    const float x[6] = {1, 2, 3, 4, 5, 6};
    const int32_t swap_wc[4] = {0, 1, 3, 2}, identity[4] = {0, 1, 2, 3}, nchw[4] = {0, 3, 1, 2};
    const float want[6] = {1, 4, 2, 5, 3, 6};
    float got[6];
    mf_transpose_f32(&in, x, swap_wc, got);
    mf_check_floats("swap_wc", got, want, 6, 0, 0);
    mf_transpose_f32(&in, x, identity, got);
    mf_check_floats("identity", got, x, 6, 0, 0);
    mf_transpose_f32(&in, x, nchw, got); /* NHWC -> NCHW: [1,3,1,2] */
    mf_check_floats("to_nchw", got, want, 6, 0, 0);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "transpose")) return;
    while (kf_next(&f, &c)) {
        const kf_array *x = &c.arrays[0], *want = &c.arrays[1];
        float *got = kf_output(want->count);
        mf_transpose_f32(&x->shape, x->data, c.ints, got);
        kf_compare(&c, got, want, 0, 0);
        free(got);
    }
    kf_close(&f);
}

int main(void)
{
    MF_RUN(test_matrix);
    MF_RUN(test_torch_fixtures);
    return kf_summary();
}
