#include "nn/ops/mf_kernels.h"
#include "nn/ops/ref/mf_math.h"

void mf_softmax_f32(const float *input, int32_t rows, int32_t features, float *output)
{
    for (int32_t r = 0; r < rows; r++) {
        const float *x = input + (size_t)r * features;
        float *y = output + (size_t)r * features;
        float max = x[0];
        for (int32_t i = 1; i < features; i++) max = x[i] > max ? x[i] : max;
        float sum = 0.0f;
        for (int32_t i = 0; i < features; i++) {
            y[i] = mf_expf(x[i] - max);
            sum += y[i];
        }
        for (int32_t i = 0; i < features; i++) y[i] /= sum;
    }
}
