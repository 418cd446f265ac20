/* Reference int8 nearest resize for int8 graphs (format 1.1); semantics
 * in nn/ops/mf_kernels_s8.h. */
#include "nn/ops/mf_kernels_s8.h"
#include <math.h>
#include <string.h>

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
