#include "nn/ops/mf_kernels.h"

void mf_depthwise_conv_f32(const mf_conv_params *p, const mf_shape4 *in, const float *input, int32_t kh, int32_t kw,
                           const float *weights, const float *bias, const mf_shape4 *out, float *output)
{
    const int32_t multiplier = out->c / in->c;
    for (int32_t n = 0; n < out->n; n++)
        for (int32_t oy = 0; oy < out->h; oy++) {
            const int32_t y0 = oy * p->stride_h - p->pad_top;
            for (int32_t ox = 0; ox < out->w; ox++) {
                const int32_t x0 = ox * p->stride_w - p->pad_left;
                float *dst = output + (((size_t)n * out->h + oy) * out->w + ox) * out->c;
                for (int32_t o = 0; o < out->c; o++) dst[o] = bias ? bias[o] : 0.0f;
                /* Channel-innermost loops: contiguous in input, weights and output. */
                for (int32_t ky = 0; ky < kh; ky++) {
                    const int32_t iy = y0 + ky * p->dilation_h;
                    if (iy < 0 || iy >= in->h) continue;
                    for (int32_t kx = 0; kx < kw; kx++) {
                        const int32_t ix = x0 + kx * p->dilation_w;
                        if (ix < 0 || ix >= in->w) continue;
                        const float *src = input + (((size_t)n * in->h + iy) * in->w + ix) * in->c;
                        const float *w = weights + ((size_t)ky * kw + kx) * out->c;
                        if (multiplier == 1)
                            for (int32_t o = 0; o < out->c; o++) dst[o] += src[o] * w[o];
                        else
                            for (int32_t o = 0; o < out->c; o++) dst[o] += src[o / multiplier] * w[o];
                    }
                }
                if (p->act != MF_ACT_NONE)
                    for (int32_t o = 0; o < out->c; o++) dst[o] = mf_act_apply_f32(dst[o], p->act, p->act_alpha);
            }
        }
}
