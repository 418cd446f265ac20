/* mf_conv_f32: hand-computed cases, then the PyTorch fixtures. */
#include "kernel_fixtures.h"

/* 4x4 single-channel input 1..16, used by the hand cases. */
static const float k_ramp4x4[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

static mf_conv_params plain_params(void)
{
    mf_conv_params p = {1, 1, 0, 0, 0, 0, 1, 1, 1, MF_ACT_NONE, 0.0f};
    return p;
}

/* 3x3 box filter with padding 1: every output is the sum of its clipped 3x3 neighbourhood. */
static void test_3x3_box_padded(void)
{
    const mf_shape4 in = {1, 4, 4, 1}, out = {1, 4, 4, 1};
    const float w[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    const float bias[1] = {0.5f};
    const float want[16] = {14.5f, 24.5f, 30.5f, 22.5f, 33.5f, 54.5f, 63.5f, 45.5f,
                            57.5f, 90.5f, 99.5f, 69.5f, 46.5f, 72.5f, 78.5f, 54.5f};
    mf_conv_params p = plain_params();
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    float got[16];
    mf_conv_f32(&p, &in, k_ramp4x4, 3, 3, w, bias, &out, got);
    mf_check_floats("box", got, want, 16, 0, 0);
}

/* A kernel with only its top-left tap set shifts the image down-right: it is
 * a correlation (no kernel flip) and padding reads zeros. */
static void test_orientation(void)
{
    const mf_shape4 in = {1, 4, 4, 1}, out = {1, 4, 4, 1};
    const float w[9] = {1, 0, 0, 0, 0, 0, 0, 0, 0};
    const float want[16] = {0, 0, 0, 0, 0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11};
    mf_conv_params p = plain_params();
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    float got[16];
    mf_conv_f32(&p, &in, k_ramp4x4, 3, 3, w, NULL, &out, got);
    mf_check_floats("shift", got, want, 16, 0, 0);
}

/* 2x2 ones, stride 2, no padding: sums of the four 2x2 blocks; then dilation 2. */
static void test_stride_and_dilation(void)
{
    const mf_shape4 in = {1, 4, 4, 1}, out = {1, 2, 2, 1};
    const float w[4] = {1, 1, 1, 1};
    mf_conv_params p = plain_params();
    p.stride_h = p.stride_w = 2;
    float got[4];
    const float blocks[4] = {14, 22, 46, 54};
    mf_conv_f32(&p, &in, k_ramp4x4, 2, 2, w, NULL, &out, got);
    mf_check_floats("stride2", got, blocks, 4, 0, 0);

    p = plain_params();
    p.dilation_h = p.dilation_w = 2; /* taps (0,0) (0,2) (2,0) (2,2) */
    const float dilated[4] = {1 + 3 + 9 + 11, 2 + 4 + 10 + 12, 5 + 7 + 13 + 15, 6 + 8 + 14 + 16};
    mf_conv_f32(&p, &in, k_ramp4x4, 2, 2, w, NULL, &out, got);
    mf_check_floats("dilation2", got, dilated, 4, 0, 0);
}

/* Asymmetric padding: only bottom/right, 2x2 ones stride 2 on a 3x3 input. */
static void test_asymmetric_padding(void)
{
    const mf_shape4 in = {1, 3, 3, 1}, out = {1, 2, 2, 1};
    const float x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const float w[4] = {1, 1, 1, 1};
    const float want[4] = {1 + 2 + 4 + 5, 3 + 6, 7 + 8, 9};
    mf_conv_params p = plain_params();
    p.stride_h = p.stride_w = 2;
    p.pad_bottom = p.pad_right = 1;
    float got[4];
    mf_conv_f32(&p, &in, x, 2, 2, w, NULL, &out, got);
    mf_check_floats("pad_br", got, want, 4, 0, 0);
}

/* OHWI channel order and groups: 1x1 kernels on two pixels of (a, b). */
static void test_channels_and_groups(void)
{
    const mf_shape4 in = {1, 1, 2, 2}, out3 = {1, 1, 2, 3}, out2 = {1, 1, 2, 2};
    const float x[4] = {5, 2, -1, 3};
    const float w[6] = {1, 0, 0, 1, 1, -1}; /* outputs a, b, a - b */
    const float want[6] = {5, 2, 3, -1, 3, -4};
    mf_conv_params p = plain_params();
    float got[6];
    mf_conv_f32(&p, &in, x, 1, 1, w, NULL, &out3, got);
    mf_check_floats("ohwi", got, want, 6, 0, 0);

    p.groups = 2; /* output 0 sees only channel 0, output 1 only channel 1 */
    const float wg[2] = {2, 3};
    const float want_g[4] = {10, 6, -2, 9};
    mf_conv_f32(&p, &in, x, 1, 1, wg, NULL, &out2, got);
    mf_check_floats("groups", got, want_g, 4, 0, 0);
}

/* Fused leaky relu after the bias: (box sum - 50) * 0.1 where negative. */
static void test_fused_activation(void)
{
    const mf_shape4 in = {1, 4, 4, 1}, out = {1, 2, 2, 1};
    const float w[4] = {1, 1, 1, 1};
    const float bias[1] = {-50};
    const float want[4] = {-3.6f, -2.8f, -0.4f, 4};
    mf_conv_params p = plain_params();
    p.stride_h = p.stride_w = 2;
    p.act = MF_ACT_LEAKY_RELU;
    p.act_alpha = 0.1f;
    float got[4];
    mf_conv_f32(&p, &in, k_ramp4x4, 2, 2, w, bias, &out, got);
    mf_check_floats("leaky", got, want, 4, 1e-6, 1e-6);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "conv")) return;
    while (kf_next(&f, &c)) {
        const int32_t *q = c.ints;
        const mf_conv_params p = {q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], (mf_act)q[9], c.floats[0]};
        const kf_array *x = &c.arrays[0], *w = &c.arrays[1], *bias = &c.arrays[2], *want = &c.arrays[3];
        float *got = kf_output(want->count);
        mf_conv_f32(&p, &x->shape, x->data, q[10], q[11], w->data, bias->count ? bias->data : NULL, &want->shape,
                    got);
        /* Float accumulation over up to 576 products; the oracle is float64. */
        kf_compare(&c, got, want, 1e-5, 1e-5);
        free(got);
    }
    kf_close(&f);
}

int main(void)
{
    MF_RUN(test_3x3_box_padded);
    MF_RUN(test_orientation);
    MF_RUN(test_stride_and_dilation);
    MF_RUN(test_asymmetric_padding);
    MF_RUN(test_channels_and_groups);
    MF_RUN(test_fused_activation);
    MF_RUN(test_torch_fixtures);
    return kf_summary();
}
