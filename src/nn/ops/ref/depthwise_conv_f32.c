#include "nn/ops/mf_kernels.h"
#include "nn/ops/ref/mf_window.h"

/* Reference depthwise convolution, NHWC input, weights [kh][kw][out.c].
 * Each output value is bias + sum over (ky, kx) in that order, in float. */
void mf_depthwise_conv_f32(const mf_conv_params *p, const mf_shape4 *in, const float *input, int32_t kh, int32_t kw,
                           const float *weights, const float *bias, const mf_shape4 *out, float *output)
{
    const int32_t multiplier = out->c / in->c;
    for (int32_t n = 0; n < out->n; n++)
        for (int32_t oy = 0; oy < out->h; oy++) {
            const int32_t y0 = oy * p->stride_h - p->pad_top;
            int32_t ky_first, ky_end;
            mf_window_taps(y0, p->dilation_h, kh, in->h, &ky_first, &ky_end);
            for (int32_t ox = 0; ox < out->w; ox++) {
                const int32_t x0 = ox * p->stride_w - p->pad_left;
                int32_t kx_first, kx_end;
                mf_window_taps(x0, p->dilation_w, kw, in->w, &kx_first, &kx_end);
                float *dst = output + (((size_t)n * out->h + oy) * out->w + ox) * out->c;
                for (int32_t o = 0; o < out->c; o++) dst[o] = bias ? bias[o] : 0.0f;
                /* Channel-innermost loops: contiguous in input, weights and output. */
                for (int32_t ky = ky_first; ky < ky_end; ky++) {
                    const int32_t iy = y0 + ky * p->dilation_h;
                    for (int32_t kx = kx_first; kx < kx_end; kx++) {
                        const int32_t ix = x0 + kx * p->dilation_w;
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
