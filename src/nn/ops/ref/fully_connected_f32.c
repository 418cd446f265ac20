#include "nn/ops/mf_kernels.h"
#include "nn/ops/ref/mf_dot.h"

void mf_fully_connected_f32(const float *input, int32_t rows, int32_t in_features, const float *weights,
                            const float *bias, int32_t out_features, mf_act act, float act_alpha, float *output)
{
    for (int32_t r = 0; r < rows; r++) {
        const float *x = input + (size_t)r * in_features;
        float *y = output + (size_t)r * out_features;
        for (int32_t o = 0; o < out_features; o++) {
            const float *w = weights + (size_t)o * in_features;
            float acc = (bias ? bias[o] : 0.0f) + mf_dot_f32(x, w, in_features);
            y[o] = mf_act_apply_f32(acc, act, act_alpha);
        }
    }
}
