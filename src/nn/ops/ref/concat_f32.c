#include "nn/ops/mf_kernels.h"
#include <string.h>

void mf_concat_f32(const float *const *inputs, const int32_t *inner_sizes, int32_t count, int32_t outer, float *output)
{
    for (int32_t o = 0; o < outer; o++)
        for (int32_t k = 0; k < count; k++) {
            memcpy(output, inputs[k] + (size_t)o * inner_sizes[k], (size_t)inner_sizes[k] * sizeof(float));
            output += inner_sizes[k];
        }
}
