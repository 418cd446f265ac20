/* mf_concat_f32: hand-computed cases, then the PyTorch fixtures. */
#include "kernel_fixtures.h"

/* Channels: [1,1,2,1] {1, 2} ++ [1,1,2,2] {3, 4, 5, 6} -> {1, 3, 4, 2, 5, 6}. */
static void test_channels(void)
{
    const float x0[2] = {1, 2}, x1[4] = {3, 4, 5, 6};
    const float *inputs[2] = {x0, x1};
    const int32_t inner[2] = {1, 2};
    const float want[6] = {1, 3, 4, 2, 5, 6};
    float got[6];
    mf_concat_f32(inputs, inner, 2, 2, got);
    mf_check_floats("concat_c", got, want, 6, 0, 0);
}

/* Outermost axis: plain back-to-back copies (outer = 1). */
static void test_outermost(void)
{
    const float x0[1] = {7}, x1[2] = {8, 9}, x2[1] = {10};
    const float *inputs[3] = {x0, x1, x2};
    const int32_t inner[3] = {1, 2, 1};
    const float want[4] = {7, 8, 9, 10};
    float got[4];
    mf_concat_f32(inputs, inner, 3, 1, got);
    mf_check_floats("concat_n", got, want, 4, 0, 0);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "concat")) return;
    while (kf_next(&f, &c)) {
        const int32_t axis = c.ints[0], count = c.n_arrays - 1;
        const kf_array *want = &c.arrays[count];
        const float *inputs[KF_MAX_ARRAYS];
        int32_t inner[KF_MAX_ARRAYS], outer = 1;
        for (int32_t i = 0; i < count; i++) {
            inputs[i] = c.arrays[i].data;
            inner[i] = 1;
            for (int k = axis; k < 4; k++) inner[i] *= kf_dim(&c.arrays[i].shape, k);
        }
        for (int k = 0; k < axis; k++) outer *= kf_dim(&want->shape, k);
        float *got = kf_output(want->count);
        mf_concat_f32(inputs, inner, count, outer, got);
        kf_compare(&c, got, want, 0, 0);
        free(got);
    }
    kf_close(&f);
}

int main(void)
{
    MF_RUN(test_channels);
    MF_RUN(test_outermost);
    MF_RUN(test_torch_fixtures);
    return kf_summary();
}
