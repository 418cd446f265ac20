#include "nn/ops/mf_kernels.h"
#include <string.h>

void mf_slice_f32(const mf_shape4 *in, const float *input, int32_t axis, int32_t begin, int32_t size, float *output)
{
    const int32_t dims[4] = {in->n, in->h, in->w, in->c};
    size_t outer = 1, inner = 1;
    for (int i = 0; i < axis; i++) outer *= (size_t)dims[i];
    for (int i = axis + 1; i < 4; i++) inner *= (size_t)dims[i];
    for (size_t o = 0; o < outer; o++)
        memcpy(output + o * (size_t)size * inner, input + (o * (size_t)dims[axis] + (size_t)begin) * inner,
               (size_t)size * inner * sizeof(float));
}
