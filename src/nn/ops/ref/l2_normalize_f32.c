#include "nn/ops/mf_kernels.h"
#include <math.h>

void mf_l2_normalize_f32(const float *input, int32_t rows, int32_t features, float eps, float *output)
{
    for (int32_t r = 0; r < rows; r++) {
        const float *x = input + (size_t)r * features;
        float *y = output + (size_t)r * features;
        double sum = 0.0;
        for (int32_t i = 0; i < features; i++) sum += (double)x[i] * x[i];
        float norm = (float)sqrt(sum);
        if (norm < eps) norm = eps;
        for (int32_t i = 0; i < features; i++) y[i] = x[i] / norm;
    }
}
