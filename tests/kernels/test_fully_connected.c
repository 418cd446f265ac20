/* mf_fully_connected_f32: hand-computed cases, then the PyTorch fixtures. */
#include "kernel_fixtures.h"

/* Two rows through weights [out][in] = {{1, 1}, {1, -1}, {2, 0}} and bias {0, 0, 1}. */
static void test_small(void)
{
    const float x[4] = {1, 2, -3, 0.5f};
    const float w[6] = {1, 1, 1, -1, 2, 0};
    const float bias[3] = {0, 0, 1};
    const float want[6] = {3, -1, 3, -2.5f, -3.5f, -5};
    const float want_relu[6] = {3, 0, 3, 0, 0, 0};
    float got[6];
    mf_fully_connected_f32(x, 2, 2, w, bias, 3, MF_ACT_NONE, 0, got);
    mf_check_floats("fc", got, want, 6, 0, 0);
    mf_fully_connected_f32(x, 2, 2, w, bias, 3, MF_ACT_RELU, 0, got);
    mf_check_floats("fc_relu", got, want_relu, 6, 0, 0);
    const float want_nobias[3] = {3, -1, 2};
    mf_fully_connected_f32(x, 1, 2, w, NULL, 3, MF_ACT_NONE, 0, got);
    mf_check_floats("fc_nobias", got, want_nobias, 3, 0, 0);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "fully_connected")) return;
    while (kf_next(&f, &c)) {
        const kf_array *x = &c.arrays[0], *w = &c.arrays[1], *bias = &c.arrays[2], *want = &c.arrays[3];
        float *got = kf_output(want->count);
        mf_fully_connected_f32(x->data, x->shape.w, x->shape.c, w->data, bias->count ? bias->data : NULL, w->shape.w,
                               (mf_act)c.ints[0], c.floats[0], got);
        kf_compare(&c, got, want, 1e-5, 1e-5);
        free(got);
    }
    kf_close(&f);
}

int main(void)
{
    MF_RUN(test_small);
    MF_RUN(test_torch_fixtures);
    return kf_summary();
}
