/* Reference DEQUANTIZE (int8 -> float32) for int8 graphs (format 1.1);
 * semantics in nn/ops/mf_kernels_s8.h. */
#include "nn/ops/mf_kernels_s8.h"

void mf_dequantize_s8_f32(const int8_t *input, size_t count, float scale, int32_t zero_point, float *output)
{
    for (size_t i = 0; i < count; i++) output[i] = (float)(input[i] - zero_point) * scale;
}
