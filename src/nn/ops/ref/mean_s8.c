#include "nn/ops/mf_kernels_s8.h"
#include "nn/ops/ref/requantize.h"

/* Reference int8 mean: for each output element, the int32 sum of
 * (x - input_zero_point) over the reduced axes (in input order), requantized
 * once; see mf_kernels_s8.h. No scratch: each output walks its own inputs. */
void mf_mean_s8(const mf_mean_s8_params *p, const mf_shape4 *in, const int8_t *input, uint32_t axis_mask,
                int8_t *output)
{
    const int32_t dims[4] = {in->n, in->h, in->w, in->c};
    int32_t od[4], span[4];
    for (int i = 0; i < 4; i++) {
        od[i] = (axis_mask >> i) & 1u ? 1 : dims[i];
        span[i] = od[i] == 1 ? dims[i] : 1; /* inputs one output element reads along axis i */
    }
    size_t o = 0;
    for (int32_t n = 0; n < od[0]; n++)
        for (int32_t h = 0; h < od[1]; h++)
            for (int32_t w = 0; w < od[2]; w++)
                for (int32_t c = 0; c < od[3]; c++, o++) {
                    int32_t acc = 0;
                    for (int32_t rn = 0; rn < span[0]; rn++)
                        for (int32_t rh = 0; rh < span[1]; rh++)
                            for (int32_t rw = 0; rw < span[2]; rw++)
                                for (int32_t rc = 0; rc < span[3]; rc++) {
                                    const size_t i = (((size_t)(n + rn) * dims[1] + (size_t)(h + rh)) * dims[2] +
                                                      (size_t)(w + rw)) * dims[3] + (size_t)(c + rc);
                                    acc += input[i] - p->input_zero_point;
                                }
                    const int32_t raw = mf_requantize(acc, p->multiplier, p->shift);
                    output[o] = mf_clamp_s8(raw + p->output_zero_point, -128, 127);
                }
}
