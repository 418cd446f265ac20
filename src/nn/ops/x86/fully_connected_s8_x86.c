#include "nn/ops/x86/mf_kernels_s8_x86.h"

/* No vector path yet: the reference at every level. */
void mf_fully_connected_s8_x86(const mf_fc_s8_params *p, const mf_channel_requant *rq, const int8_t *input,
                               int32_t rows, int32_t in_features, const int8_t *weights, const int32_t *bias,
                               int32_t out_features, int8_t *output)
{
    mf_fully_connected_s8(p, rq, input, rows, in_features, weights, bias, out_features, output);
}
