#include "nn/ops/mve/mf_kernels_s8_mve.h"
#include "nn/ops/mve/mf_mve_s8.h"
#include <string.h>

/* sum (x - zp) * w = sum x * w - zp * sum w: the second term and the bias
 * are folded once per call, so the inner loop is a plain int8 dot product.
 * Padded taps are written as the zero point into the patch, which keeps the
 * fold exact. */

static size_t patch_bytes(int32_t kh, int32_t kw, int32_t in_per_group)
{
    return ((size_t)kh * kw * in_per_group + 15) & ~(size_t)15;
}

static size_t folded_bias_bytes(int32_t out_c) { return ((size_t)out_c * sizeof(int32_t) + 15) & ~(size_t)15; }

size_t mf_conv_s8_mve_scratch_size(const mf_conv_s8_params *p, const mf_shape4 *in, int32_t kh, int32_t kw,
                                   const mf_shape4 *out)
{
    return folded_bias_bytes(out->c) + patch_bytes(kh, kw, in->c / p->groups);
}

void mf_conv_s8_mve(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                    const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights, const int32_t *bias,
                    const mf_shape4 *out, int8_t *output, void *scratch)
{
    if (kh == 1 && kw == 1 && p->groups == 1 && p->stride_h == 1 && p->stride_w == 1 && p->pad_top == 0 &&
        p->pad_left == 0 && in->h == out->h && in->w == out->w) {
        /* Every pixel is a row of in.c values and the weights are [out.c][in.c]:
         * a fully connected layer over n*h*w rows, which keeps each group of
         * four output channels' requantization in registers across the rows. */
        const mf_fc_s8_params f = {p->input_zero_point, p->output_zero_point, p->act_min, p->act_max};
        mf_fully_connected_s8_mve(&f, rq, input, out->n * out->h * out->w, in->c, weights, bias, out->c, output);
        return;
    }
    const int32_t in_per_group = in->c / p->groups, out_per_group = out->c / p->groups;
    const int32_t k = kh * kw * in_per_group; /* patch length = weight row length */
    int32_t *folded_bias = (int32_t *)scratch;
    int8_t *patch = (int8_t *)scratch + folded_bias_bytes(out->c);
    for (int32_t o = 0; o < out->c; o++)
        folded_bias[o] = (bias ? bias[o] : 0) - p->input_zero_point * mf_mve_sum_s8(weights + (size_t)o * k, k);

    const int pointwise = kh == 1 && kw == 1;
    for (int32_t n = 0; n < out->n; n++)
        for (int32_t oy = 0; oy < out->h; oy++) {
            const int32_t y0 = oy * p->stride_h - p->pad_top;
            for (int32_t ox = 0; ox < out->w; ox++) {
                const int32_t x0 = ox * p->stride_w - p->pad_left;
                const int in_place = pointwise && y0 >= 0 && y0 < in->h && x0 >= 0 && x0 < in->w;
                int8_t *dst = output + (((size_t)n * out->h + oy) * out->w + ox) * out->c;
                for (int32_t g = 0; g < p->groups; g++) {
                    const int8_t *x;
                    if (in_place) { /* the input pixel is the patch: no copy */
                        x = input + (((size_t)n * in->h + y0) * in->w + x0) * in->c + (size_t)g * in_per_group;
                    } else {
                        int8_t *to = patch;
                        for (int32_t ky = 0; ky < kh; ky++) {
                            const int32_t iy = y0 + ky * p->dilation_h;
                            for (int32_t kx = 0; kx < kw; kx++, to += in_per_group) {
                                const int32_t ix = x0 + kx * p->dilation_w;
                                if (iy < 0 || iy >= in->h || ix < 0 || ix >= in->w)
                                    memset(to, p->input_zero_point, (size_t)in_per_group);
                                else
                                    memcpy(to, input + (((size_t)n * in->h + iy) * in->w + ix) * in->c +
                                                   (size_t)g * in_per_group,
                                           (size_t)in_per_group);
                            }
                        }
                        x = patch;
                    }
                    const int32_t o_end = (g + 1) * out_per_group;
                    for (int32_t o = g * out_per_group; o < o_end; o += 4) {
                        const int32_t count = o_end - o < 4 ? o_end - o : 4;
                        const mve_pred16_t lanes = vctp32q((uint32_t)count);
                        /* rows past the group's end repeat row o: read, never stored */
                        const int8_t *w0 = weights + (size_t)o * k;
                        const int8_t *w1 = count > 1 ? w0 + k : w0, *w2 = count > 2 ? w0 + 2 * k : w0,
                                     *w3 = count > 3 ? w0 + 3 * k : w0;
                        int32x4_t acc = mf_mve_dot4_s8(x, w0, w1, w2, w3, k);
                        acc = vaddq_s32(acc, vldrwq_z_s32(folded_bias + o, lanes));
                        const int32x4_t q = mf_mve_requantize(acc, vldrwq_z_s32(rq->multiplier + o, lanes),
                                                              vldrwq_z_s32(rq->shift + o, lanes));
                        mf_mve_store_s8(dst + o, q, p->output_zero_point, p->act_min, p->act_max, lanes);
                    }
                }
            }
        }
}
