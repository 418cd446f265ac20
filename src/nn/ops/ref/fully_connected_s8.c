#include "nn/ops/mf_kernels_s8.h"
#include "nn/ops/ref/requantize.h"

void mf_fully_connected_s8(const mf_fc_s8_params *p, const mf_channel_requant *rq, const int8_t *input,
                           int32_t rows, int32_t in_features, const int8_t *weights, const int32_t *bias,
                           int32_t out_features, int8_t *output)
{
    for (int32_t r = 0; r < rows; r++) {
        const int8_t *x = input + (size_t)r * in_features;
        for (int32_t o = 0; o < out_features; o++) {
            const int8_t *w = weights + (size_t)o * in_features;
            int32_t acc = bias ? bias[o] : 0;
            for (int32_t i = 0; i < in_features; i++) acc += (x[i] - p->input_zero_point) * w[i];
            const int32_t q = mf_requantize(acc, rq->multiplier[o], rq->shift[o]) + p->output_zero_point;
            output[(size_t)r * out_features + o] = mf_clamp_s8(q, p->act_min, p->act_max);
        }
    }
}
