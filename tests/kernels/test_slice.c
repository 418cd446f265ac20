/* mf_slice_f32: hand-computed cases, then the PyTorch fixtures. */
#include "kernel_fixtures.h"

static void test_axes(void)
{
    const float x[6] = {1, 2, 3, 4, 5, 6};
    float got[6];
    /* [1,1,1,6][..., 1:4] */
    const mf_shape4 row = {1, 1, 1, 6};
    const float mid[3] = {2, 3, 4};
    mf_slice_f32(&row, x, 3, 1, 3, got);
    mf_check_floats("slice_c", got, mid, 3, 0, 0);
    /* [1,1,3,2][:, :, 1:3, :] keeps whole pixels */
    const mf_shape4 pixels = {1, 1, 3, 2};
    const float tail[4] = {3, 4, 5, 6};
    mf_slice_f32(&pixels, x, 2, 1, 2, got);
    mf_check_floats("slice_w", got, tail, 4, 0, 0);
    /* [1,1,3,2][..., 1:2] takes the second channel of every pixel */
    const float second[3] = {2, 4, 6};
    mf_slice_f32(&pixels, x, 3, 1, 1, got);
    mf_check_floats("slice_c_strided", got, second, 3, 0, 0);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "slice")) return;
    while (kf_next(&f, &c)) {
        const kf_array *x = &c.arrays[0], *want = &c.arrays[1];
        float *got = kf_output(want->count);
        mf_slice_f32(&x->shape, x->data, c.ints[0], c.ints[1], c.ints[2], got);
        kf_compare(&c, got, want, 0, 0);
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
