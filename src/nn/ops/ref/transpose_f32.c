#include "nn/ops/mf_kernels.h"

void mf_transpose_f32(const mf_shape4 *in, const float *input, const int32_t perm[4], float *output)
{
    const int32_t dims[4] = {in->n, in->h, in->w, in->c};
    const size_t strides[4] = {(size_t)in->h * in->w * in->c, (size_t)in->w * in->c, (size_t)in->c, 1};
    const int32_t od[4] = {dims[perm[0]], dims[perm[1]], dims[perm[2]], dims[perm[3]]};
    const size_t os[4] = {strides[perm[0]], strides[perm[1]], strides[perm[2]], strides[perm[3]]};
    size_t i = 0;
    for (int32_t a = 0; a < od[0]; a++)
        for (int32_t b = 0; b < od[1]; b++)
            for (int32_t c = 0; c < od[2]; c++) {
                const float *src = input + a * os[0] + b * os[1] + c * os[2];
                for (int32_t d = 0; d < od[3]; d++) output[i++] = src[d * os[3]];
            }
}
