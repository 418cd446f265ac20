#include "nn/ops/mve/mf_kernels_s8_mve.h"
#include "nn/ops/mve/mf_mve_s8.h"

/* Four output features per pass: their weight sums (for the input zero
 * point, as in conv_s8_mve.c) are computed once, then every row is a
 * 4-row int8 dot product. No scratch. */
void mf_fully_connected_s8_mve(const mf_fc_s8_params *p, const mf_channel_requant *rq, const int8_t *input,
                               int32_t rows, int32_t in_features, const int8_t *weights, const int32_t *bias,
                               int32_t out_features, int8_t *output)
{
    const int32_t k = in_features;
    for (int32_t o = 0; o < out_features; o += 4) {
        const int32_t count = out_features - o < 4 ? out_features - o : 4;
        const mve_pred16_t lanes = vctp32q((uint32_t)count);
        const int8_t *w0 = weights + (size_t)o * k;
        const int8_t *w1 = count > 1 ? w0 + k : w0, *w2 = count > 2 ? w0 + 2 * k : w0,
                     *w3 = count > 3 ? w0 + 3 * k : w0;
        int32x4_t folded = vdupq_n_s32(mf_mve_sum_s8(w0, k));
        folded = vsetq_lane_s32(mf_mve_sum_s8(w1, k), folded, 1);
        folded = vsetq_lane_s32(mf_mve_sum_s8(w2, k), folded, 2);
        folded = vsetq_lane_s32(mf_mve_sum_s8(w3, k), folded, 3);
        folded = vmulq_n_s32(folded, -p->input_zero_point);
        if (bias) folded = vaddq_s32(folded, vldrwq_z_s32(bias + o, lanes));
        const int32x4_t multiplier = vldrwq_z_s32(rq->multiplier + o, lanes);
        const int32x4_t shift = vldrwq_z_s32(rq->shift + o, lanes);
        for (int32_t r = 0; r < rows; r++) {
            const int32x4_t acc = vaddq_s32(mf_mve_dot4_s8(input + (size_t)r * k, w0, w1, w2, w3, k), folded);
            mf_mve_store_s8(output + (size_t)r * out_features + o, mf_mve_requantize(acc, multiplier, shift),
                            p->output_zero_point, p->act_min, p->act_max, lanes);
        }
    }
}
