#include "nn/ops/x86/mf_kernels_s8_x86.h"

/* No vector path yet: the reference at every level. */
void mf_quantize_f32_s8_x86(const float *input, size_t count, float scale, int32_t zero_point, int8_t *output)
{
    mf_quantize_f32_s8(input, count, scale, zero_point, output);
}
