#include "nn/ops/mf_kernels.h"
#include <math.h>

void mf_layer_norm_f32(const float *input, int32_t rows, int32_t features, const float *gamma, const float *beta,
                       float eps, float *output)
{
    for (int32_t r = 0; r < rows; r++) {
        const float *x = input + (size_t)r * features;
        float *y = output + (size_t)r * features;
        /* Two passes in double: the variance of large activations loses
         * digits in float when computed as E[x^2] - E[x]^2. */
        double mean = 0.0, var = 0.0;
        for (int32_t i = 0; i < features; i++) mean += x[i];
        mean /= features;
        for (int32_t i = 0; i < features; i++) var += (x[i] - mean) * (x[i] - mean);
        var /= features;
        const float inv = (float)(1.0 / sqrt(var + eps));
        for (int32_t i = 0; i < features; i++) {
            float v = (float)(x[i] - mean) * inv;
            y[i] = v * (gamma ? gamma[i] : 1.0f) + (beta ? beta[i] : 0.0f);
        }
    }
}
