/* Reference QUANTIZE (float32 -> int8) for int8 graphs (format 1.1);
 * semantics in nn/ops/mf_kernels_s8.h. */
#include "nn/ops/mf_kernels_s8.h"
#include <math.h>

void mf_quantize_f32_s8(const float *input, size_t count, float scale, int32_t zero_point, int8_t *output)
{
    for (size_t i = 0; i < count; i++) {
        float v = input[i] / scale;
        if (!(v > -1000.0f)) v = -1000.0f; /* NaN too */
        if (v > 1000.0f) v = 1000.0f;
        int32_t q = (int32_t)lroundf(v) + zero_point;
        output[i] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
    }
}
