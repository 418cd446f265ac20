#include "nn/ops/mf_kernels_s8.h"
#include "nn/ops/ref/mf_window.h"
#include "nn/ops/ref/requantize.h"

/* Reference int8 depthwise convolution; weights [kh][kw][out.c]. Padded taps
 * are skipped (they read the input zero point). */
void mf_depthwise_conv_s8(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                          const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights,
                          const int32_t *bias, const mf_shape4 *out, int8_t *output)
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
                int8_t *dst = output + (((size_t)n * out->h + oy) * out->w + ox) * out->c;
                for (int32_t o = 0; o < out->c; o++) {
                    int32_t acc = bias ? bias[o] : 0;
                    for (int32_t ky = ky_first; ky < ky_end; ky++) {
                        const int32_t iy = y0 + ky * p->dilation_h;
                        for (int32_t kx = kx_first; kx < kx_end; kx++) {
                            const int32_t ix = x0 + kx * p->dilation_w;
                            const int32_t x = input[(((size_t)n * in->h + iy) * in->w + ix) * in->c + o / multiplier];
                            acc += (x - p->input_zero_point) * weights[((size_t)ky * kw + kx) * out->c + o];
                        }
                    }
                    const int32_t q = mf_requantize(acc, rq->multiplier[o], rq->shift[o]) + p->output_zero_point;
                    dst[o] = mf_clamp_s8(q, p->act_min, p->act_max);
                }
            }
        }
}
