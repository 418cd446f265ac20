#include "nn/ops/mf_kernels.h"
#include "nn/ops/ref/mf_math.h"

static float relu6(float x) { return x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x); }

float mf_act_apply_f32(float x, mf_act act, float alpha)
{
    switch (act) {
    case MF_ACT_RELU: return x > 0.0f ? x : 0.0f;
    case MF_ACT_RELU6: return relu6(x);
    case MF_ACT_LEAKY_RELU: return x < 0.0f ? alpha * x : x;
    case MF_ACT_SIGMOID: return 1.0f / (1.0f + mf_expf(-x));
    case MF_ACT_HARD_SWISH: return x * relu6(x + 3.0f) / 6.0f;
    case MF_ACT_GELU: return 0.5f * x * (1.0f + mf_erff(x * 0.70710678118654752f));
    case MF_ACT_GELU_TANH: {
        const float k = 0.79788456080286536f; /* sqrt(2 / pi) */
        return 0.5f * x * (1.0f + mf_tanhf(k * (x + 0.044715f * x * x * x)));
    }
    case MF_ACT_SWISH: return x / (1.0f + mf_expf(-x));
    case MF_ACT_TANH: return mf_tanhf(x);
    case MF_ACT_HARD_SIGMOID: return relu6(x + 3.0f) / 6.0f;
    default: return x; /* NONE; PRELU needs its slopes: mf_activation_f32 */
    }
}

void mf_activation_f32(float *x, size_t n, mf_act act, float alpha, const float *slopes, int32_t channels)
{
    if (act == MF_ACT_NONE) return;
    if (act == MF_ACT_PRELU) {
        for (size_t i = 0; i < n; i++) {
            float s = channels > 1 ? slopes[i % (size_t)channels] : slopes[0];
            if (x[i] < 0.0f) x[i] *= s;
        }
        return;
    }
    for (size_t i = 0; i < n; i++) x[i] = mf_act_apply_f32(x[i], act, alpha);
}
