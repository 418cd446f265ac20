#include "nn/ops/x86/mf_kernels_s8_x86.h"

/* No vector path yet: the reference at every level. */
void mf_depthwise_conv_s8_x86(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                              const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights,
                              const int32_t *bias, const mf_shape4 *out, int8_t *output)
{
    mf_depthwise_conv_s8(p, rq, in, input, kh, kw, weights, bias, out, output);
}
