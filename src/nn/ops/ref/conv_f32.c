#include "nn/ops/mf_kernels.h"
#include "nn/ops/ref/mf_dot.h"
#include "nn/ops/ref/mf_window.h"

/* Reference convolution, NHWC input, OHWI weights. Each output value is
 * bias + the sum over (ky, kx) of the channel dot product (mf_dot_f32). */
void mf_conv_f32(const mf_conv_params *p, const mf_shape4 *in, const float *input, int32_t kh, int32_t kw,
                 const float *weights, const float *bias, const mf_shape4 *out, float *output)
{
    const int32_t in_per_group = in->c / p->groups, out_per_group = out->c / p->groups;
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
                for (int32_t o = 0; o < out->c; o++) {
                    const int32_t group = o / out_per_group;
                    float acc = bias ? bias[o] : 0.0f;
                    for (int32_t ky = ky_first; ky < ky_end; ky++) {
                        const int32_t iy = y0 + ky * p->dilation_h;
                        for (int32_t kx = kx_first; kx < kx_end; kx++) {
                            const int32_t ix = x0 + kx * p->dilation_w;
                            const float *src = input + (((size_t)n * in->h + iy) * in->w + ix) * in->c +
                                               (size_t)group * in_per_group;
                            const float *w = weights + (((size_t)o * kh + ky) * kw + kx) * in_per_group;
                            acc += mf_dot_f32(src, w, in_per_group);
                        }
                    }
                    dst[o] = mf_act_apply_f32(acc, p->act, p->act_alpha);
                }
            }
        }
}
