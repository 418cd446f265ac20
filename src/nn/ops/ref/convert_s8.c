/* Reference float <-> int8 conversions, table lookup and nearest resize for
 * int8 graphs (format 1.1); semantics in nn/ops/mf_kernels_s8.h. */
#include "nn/ops/mf_kernels_s8.h"
#include <math.h>
#include <string.h>

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

void mf_dequantize_s8_f32(const int8_t *input, size_t count, float scale, int32_t zero_point, float *output)
{
    for (size_t i = 0; i < count; i++) output[i] = (float)(input[i] - zero_point) * scale;
}

void mf_lookup_s8(const int8_t *input, size_t count, const int8_t *table, int8_t *output)
{
    for (size_t i = 0; i < count; i++) output[i] = table[input[i] + 128];
}

void mf_resize_nearest_s8(const mf_shape4 *in, const int8_t *input, const mf_shape4 *out, int8_t *output)
{
    for (int32_t n = 0; n < out->n; n++)
        for (int32_t y = 0; y < out->h; y++) {
            /* torch 'nearest' with the scale in float, as mf_resize_f32 */
            int32_t sy = (int32_t)floorf((float)y * ((float)in->h / (float)out->h));
            if (sy > in->h - 1) sy = in->h - 1;
            for (int32_t x = 0; x < out->w; x++) {
                int32_t sx = (int32_t)floorf((float)x * ((float)in->w / (float)out->w));
                if (sx > in->w - 1) sx = in->w - 1;
                memcpy(output + (((size_t)n * out->h + y) * out->w + x) * out->c,
                       input + (((size_t)n * in->h + sy) * in->w + sx) * in->c, (size_t)out->c);
            }
        }
}
