/* mf_resize_f32 (torch nearest / bilinear semantics): hand-computed cases, then the PyTorch fixtures. */
#include "kernel_fixtures.h"

/* Nearest picks floor(dst * in / out): 3 -> 2 keeps columns 0 and 1 (not 0
 * and 2, as a "rounded centre" rule would); 2 -> 4 repeats each column twice. */
static void test_nearest(void)
{
    const mf_shape4 in3 = {1, 1, 3, 1}, out2 = {1, 1, 2, 1};
    const float x3[3] = {1, 2, 3}, want2[2] = {1, 2};
    float got[8];
    mf_resize_f32(MF_RESIZE_NEAREST, &in3, x3, &out2, got);
    mf_check_floats("nearest_3to2", got, want2, 2, 0, 0);
    const mf_shape4 in2 = {1, 2, 2, 1}, out4 = {1, 2, 4, 1};
    const float x2[4] = {1, 2, 3, 4}, want4[8] = {1, 1, 2, 2, 3, 3, 4, 4};
    mf_resize_f32(MF_RESIZE_NEAREST, &in2, x2, &out4, got);
    mf_check_floats("nearest_2to4", got, want4, 8, 0, 0);
}

/* A row {0, 4} widened to 4 (half-pixel centres: sources -0.25 -> 0, 0.25,
 * 0.75, 1.25 -> clamped) and to 3 with aligned corners (0, 0.5, 1). */
static void test_bilinear(void)
{
    const mf_shape4 in = {1, 1, 2, 1}, out4 = {1, 1, 4, 1}, out3 = {1, 1, 3, 1};
    const float x[2] = {0, 4};
    const float half_pixel[4] = {0, 1, 3, 4}, aligned[3] = {0, 2, 4};
    float got[4];
    mf_resize_f32(MF_RESIZE_BILINEAR, &in, x, &out4, got);
    mf_check_floats("bilinear", got, half_pixel, 4, 0, 0);
    mf_resize_f32(MF_RESIZE_BILINEAR_ALIGN, &in, x, &out3, got);
    mf_check_floats("bilinear_align", got, aligned, 3, 0, 0);
    /* 2x2 -> 3x3 aligned: the centre is the mean of the four corners; two channels. */
    const mf_shape4 in22 = {1, 2, 2, 2}, out33 = {1, 3, 3, 2};
    const float q[8] = {0, 1, 2, 1, 4, 1, 6, 1};
    const float want[18] = {0, 1, 1, 1, 2, 1, 2, 1, 3, 1, 4, 1, 4, 1, 5, 1, 6, 1};
    float got33[18];
    mf_resize_f32(MF_RESIZE_BILINEAR_ALIGN, &in22, q, &out33, got33);
    mf_check_floats("bilinear_align_2d", got33, want, 18, 0, 0);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "resize")) return;
    while (kf_next(&f, &c)) {
        const mf_resize_mode mode = (mf_resize_mode)c.ints[0];
        const kf_array *x = &c.arrays[0], *want = &c.arrays[1];
        float *got = kf_output(want->count);
        mf_resize_f32(mode, &x->shape, x->data, &want->shape, got);
        /* Nearest is a copy: exact. Bilinear: the same float formula, but torch's
         * vectorised loop may fuse multiply-adds (measured: a few ulps). */
        const double tol = mode == MF_RESIZE_NEAREST ? 0 : 1e-5;
        kf_compare(&c, got, want, tol, tol);
        free(got);
    }
    kf_close(&f);
}

int main(void)
{
    MF_RUN(test_nearest);
    MF_RUN(test_bilinear);
    MF_RUN(test_torch_fixtures);
    return kf_summary();
}
