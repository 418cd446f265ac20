/* mf_activation_f32 / mf_act_apply_f32: hand-computed values, then the PyTorch fixtures. */
#include "kernel_fixtures.h"

static void check_act(const char *what, mf_act act, float alpha, const float *x, const float *want, size_t n,
                      double tol)
{
    float got[8];
    memcpy(got, x, n * sizeof(float));
    mf_activation_f32(got, n, act, alpha, NULL, 0);
    mf_check_floats(what, got, want, n, tol, tol);
}

static void test_piecewise(void)
{
    const float x[4] = {-2, 0, 3, 7};
    const float relu[4] = {0, 0, 3, 7}, relu6[4] = {0, 0, 3, 6}, leaky[4] = {-0.2f, 0, 3, 7};
    check_act("relu", MF_ACT_RELU, 0, x, relu, 4, 0);
    check_act("relu6", MF_ACT_RELU6, 0, x, relu6, 4, 0);
    check_act("leaky", MF_ACT_LEAKY_RELU, 0.1f, x, leaky, 4, 0);
    check_act("none", MF_ACT_NONE, 0, x, x, 4, 0);
    /* hard swish x * relu6(x + 3) / 6 and hard sigmoid relu6(x + 3) / 6 */
    const float hx[5] = {-4, -3, 0, 1, 4};
    const float hswish[5] = {0, 0, 0, 4.0f / 6.0f, 4}, hsig[5] = {0, 0, 0.5f, 4.0f / 6.0f, 1};
    check_act("hard_swish", MF_ACT_HARD_SWISH, 0, hx, hswish, 5, 1e-7);
    check_act("hard_sigmoid", MF_ACT_HARD_SIGMOID, 0, hx, hsig, 5, 1e-7);
}

static void test_prelu(void)
{
    float x[6] = {-1, -1, 4, -4, -2, 3};
    const float slopes[2] = {0.5f, 2};
    const float want[6] = {-0.5f, -2, 4, -8, -1, 3};
    mf_activation_f32(x, 6, MF_ACT_PRELU, 0, slopes, 2);
    mf_check_floats("prelu", x, want, 6, 0, 0);
}

/* sigmoid(ln 3) = 3/4, tanh(ln 2) = 3/5, Phi(1) = 0.8413447461 for exact GELU. */
static void test_smooth(void)
{
    const float ln3 = 1.0986122887f, ln2 = 0.6931471806f;
    const float x[3] = {0, ln3, -ln3};
    const float sig[3] = {0.5f, 0.75f, 0.25f}, swish[3] = {0, 0.75f * ln3, -0.25f * ln3};
    check_act("sigmoid", MF_ACT_SIGMOID, 0, x, sig, 3, 1e-7);
    check_act("swish", MF_ACT_SWISH, 0, x, swish, 3, 1e-7);
    const float tx[3] = {0, ln2, -ln2}, th[3] = {0, 0.6f, -0.6f};
    check_act("tanh", MF_ACT_TANH, 0, tx, th, 3, 1e-7);
    const float gx[3] = {0, 1, -1};
    const float gelu[3] = {0, 0.8413447461f, -(1 - 0.8413447461f)};
    const float gelu_tanh[3] = {0, 0.8411919906f, -(1 - 0.8411919906f)};
    check_act("gelu", MF_ACT_GELU, 0, gx, gelu, 3, 1e-7);
    check_act("gelu_tanh", MF_ACT_GELU_TANH, 0, gx, gelu_tanh, 3, 1e-7);
    /* Saturation must not produce NaN or overflow. */
    const float big[2] = {-100, 100}, sig_big[2] = {0, 1}, swish_big[2] = {0, 100};
    check_act("sigmoid_saturated", MF_ACT_SIGMOID, 0, big, sig_big, 2, 1e-30);
    check_act("swish_saturated", MF_ACT_SWISH, 0, big, swish_big, 2, 1e-30);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "activation")) return;
    while (kf_next(&f, &c)) {
        const mf_act act = (mf_act)c.ints[0];
        const kf_array *x = &c.arrays[0], *slopes = &c.arrays[1], *want = &c.arrays[2];
        float *got = kf_output(want->count);
        memcpy(got, x->data, x->count * sizeof(float));
        mf_activation_f32(got, x->count, act, c.floats[0], slopes->count ? slopes->data : NULL, x->shape.c);
        kf_compare(&c, got, want, 1e-6, 1e-6);
        /* The scalar form used by fused activations agrees exactly with the array form. */
        if (act != MF_ACT_PRELU) {
            size_t bad = 0;
            for (size_t i = 0; i < x->count; i++)
                bad += mf_act_apply_f32(x->data[i], act, c.floats[0]) != got[i];
            MF_CHECK_EQ_INT(bad, 0);
        }
        free(got);
    }
    kf_close(&f);
}

int main(void)
{
    MF_RUN(test_piecewise);
    MF_RUN(test_prelu);
    MF_RUN(test_smooth);
    MF_RUN(test_torch_fixtures);
    return kf_summary();
}
