#include "nn/ops/mf_kernels.h"
#include <string.h>

void mf_mean_f32(const mf_shape4 *in, const float *input, uint32_t axis_mask, float *output)
{
    const int32_t dims[4] = {in->n, in->h, in->w, in->c};
    int32_t od[4];
    size_t out_count = 1, reduced = 1;
    for (int i = 0; i < 4; i++) {
        od[i] = (axis_mask >> i) & 1u ? 1 : dims[i];
        out_count *= (size_t)od[i];
        reduced *= (size_t)(dims[i] / od[i]);
    }
    /* Sum in input order, then divide once: deterministic on every platform. */
    for (size_t o = 0; o < out_count; o++) output[o] = 0.0f;
    for (int32_t n = 0; n < dims[0]; n++)
        for (int32_t h = 0; h < dims[1]; h++)
            for (int32_t w = 0; w < dims[2]; w++)
                for (int32_t c = 0; c < dims[3]; c++) {
                    size_t o = (((size_t)(od[0] == 1 ? 0 : n) * od[1] + (od[1] == 1 ? 0 : h)) * od[2] +
                                (od[2] == 1 ? 0 : w)) * od[3] + (od[3] == 1 ? 0 : c);
                    output[o] += input[(((size_t)n * dims[1] + h) * dims[2] + w) * dims[3] + c];
                }
    for (size_t o = 0; o < out_count; o++) output[o] /= (float)reduced;
}
