#include "nn/ops/mf_kernels_s8.h"
#include <string.h>

void mf_concat_s8(const int8_t *const *inputs, const int32_t *inner_sizes, int32_t count, int32_t outer,
                  int8_t *output)
{
    for (int32_t o = 0; o < outer; o++)
        for (int32_t k = 0; k < count; k++) {
            memcpy(output, inputs[k] + (size_t)o * inner_sizes[k], (size_t)inner_sizes[k]);
            output += inner_sizes[k];
        }
}
