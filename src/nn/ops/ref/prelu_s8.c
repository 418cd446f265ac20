#include "nn/ops/mf_kernels_s8.h"
#include "nn/ops/ref/requantize.h"

/* Reference int8 PReLU (TFLite's two-branch requantization, per channel on
 * the negative side); see mf_kernels_s8.h. */
void mf_prelu_s8(const mf_prelu_s8_params *p, const int8_t *input, size_t count, int32_t channels,
                 int8_t *output)
{
    int32_t c = 0;
    for (size_t i = 0; i < count; i++) {
        const int32_t d = input[i] - p->input_zero_point;
        const int32_t raw = d >= 0 ? mf_requantize(d, p->positive_multiplier, p->positive_shift)
                                   : mf_requantize(d, p->negative_multiplier[c], p->negative_shift[c]);
        output[i] = mf_clamp_s8(raw + p->output_zero_point, -128, 127);
        if (++c == channels) c = 0;
    }
}
