/* mf_depthwise_conv_f32: hand-computed cases, then the PyTorch fixtures. */
#include "kernel_fixtures.h"

static mf_conv_params plain_params(void)
{
    mf_conv_params p = {1, 1, 0, 0, 0, 0, 1, 1, 1, MF_ACT_NONE, 0.0f};
    return p;
}

/* Two channels, each with its own 3x3 kernel and padding 1: channel 0 (1..9)
 * gets a box filter, channel 1 (all ones) a centre tap of 2 plus bias 1. */
static void test_per_channel_kernels(void)
{
    const mf_shape4 in = {1, 3, 3, 2}, out = {1, 3, 3, 2};
    float x[18], w[18], got[18];
    for (int i = 0; i < 9; i++) {
        x[2 * i] = (float)(i + 1);
        x[2 * i + 1] = 1;
        w[2 * i] = 1;                   /* [ky][kx][channel 0] */
        w[2 * i + 1] = i == 4 ? 2 : 0;  /* [ky][kx][channel 1] */
    }
    const float bias[2] = {0, 1};
    const float box[9] = {12, 21, 16, 27, 45, 33, 24, 39, 28};
    float want[18];
    for (int i = 0; i < 9; i++) {
        want[2 * i] = box[i];
        want[2 * i + 1] = 3;
    }
    mf_conv_params p = plain_params();
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    mf_depthwise_conv_f32(&p, &in, x, 3, 3, w, bias, &out, got);
    mf_check_floats("per_channel", got, want, 18, 0, 0);
}

/* Multiplier 2 with a 1x2 kernel: output channel o reads input channel o / 2;
 * weights are [kh][kw][out.c]: tap 0 feeds output 0, tap 1 output 1 (x 10). */
static void test_multiplier_and_layout(void)
{
    const mf_shape4 in = {1, 1, 3, 1}, out = {1, 1, 2, 2};
    const float x[3] = {1, 2, 3};
    const float w[4] = {1, 0, 0, 10};
    const float want[4] = {1, 20, 2, 30};
    mf_conv_params p = plain_params();
    float got[4];
    mf_depthwise_conv_f32(&p, &in, x, 1, 2, w, NULL, &out, got);
    mf_check_floats("multiplier", got, want, 4, 0, 0);
}

/* Stride 2, asymmetric padding (top/left only) and a fused relu6. */
static void test_stride_padding_relu6(void)
{
    const mf_shape4 in = {1, 3, 3, 1}, out = {1, 2, 2, 1};
    const float x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const float w[4] = {1, 1, 1, 1};
    const float want[4] = {1, 2 + 3, 6 /* 4 + 7 */, 6 /* 5 + 6 + 8 + 9 */};
    mf_conv_params p = plain_params();
    p.stride_h = p.stride_w = 2;
    p.pad_top = p.pad_left = 1;
    p.act = MF_ACT_RELU6;
    float got[4];
    mf_depthwise_conv_f32(&p, &in, x, 2, 2, w, NULL, &out, got);
    mf_check_floats("stride_pad_relu6", got, want, 4, 0, 0);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "depthwise_conv")) return;
    while (kf_next(&f, &c)) {
        const int32_t *q = c.ints;
        const mf_conv_params p = {q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], (mf_act)q[9], c.floats[0]};
        const kf_array *x = &c.arrays[0], *w = &c.arrays[1], *bias = &c.arrays[2], *want = &c.arrays[3];
        float *got = kf_output(want->count);
        mf_depthwise_conv_f32(&p, &x->shape, x->data, q[10], q[11], w->data, bias->count ? bias->data : NULL,
                              &want->shape, got);
        kf_compare(&c, got, want, 1e-5, 1e-5);
        free(got);
    }
    kf_close(&f);
}

int main(void)
{
    MF_RUN(test_per_channel_kernels);
    MF_RUN(test_multiplier_and_layout);
    MF_RUN(test_stride_padding_relu6);
    MF_RUN(test_torch_fixtures);
    return kf_summary();
}
