#include "nn/ops/x86/mf_kernels_s8_x86.h"

/* No vector path yet: the reference at every level. */
void mf_dequantize_s8_f32_x86(const int8_t *input, size_t count, float scale, int32_t zero_point, float *output)
{
    mf_dequantize_s8_f32(input, count, scale, zero_point, output);
}
