#include "nn/ops/mve/mf_kernels_s8_mve.h"
#include "nn/ops/mve/mf_mve_s8.h"
#include "nn/ops/ref/mf_window.h"

/* Sum over the window's valid taps of (x - zp) * w for channels c..c+3.
 * `whole` is a constant at each call site: whole vectors load unpredicated
 * (GCC would otherwise save and restore the predicate around every load). */
static inline int32x4_t window_sum(const int8_t *input_c, const int8_t *weights_c, int32_t c_count, int32_t row_stride,
                                   int32_t kw, int32_t ky_first, int32_t ky_end, int32_t kx_first, int32_t kx_end,
                                   int32_t y0, int32_t x0, int32_t dilation_h, int32_t dilation_w,
                                   int32_t zero_point, int32x4_t acc, mve_pred16_t lanes, int whole)
{
    for (int32_t ky = ky_first; ky < ky_end; ky++) {
        const int8_t *row = input_c + (size_t)(y0 + ky * dilation_h) * row_stride;
        const int8_t *wrow = weights_c + (size_t)ky * kw * c_count;
        for (int32_t kx = kx_first; kx < kx_end; kx++) {
            const int8_t *src = row + (size_t)(x0 + kx * dilation_w) * c_count, *w = wrow + (size_t)kx * c_count;
            const int32x4_t xv = whole ? vldrbq_s32(src) : vldrbq_z_s32(src, lanes);
            const int32x4_t wv = whole ? vldrbq_s32(w) : vldrbq_z_s32(w, lanes);
            acc = vaddq_s32(acc, vmulq_s32(vsubq_n_s32(xv, zero_point), wv));
        }
    }
    return acc;
}

/* Channel multiplier 1: channels are contiguous in the input, the weights
 * ([kh][kw][c]) and the output, so four channels go in one int32x4; padded
 * taps are skipped, as in the reference. */
void mf_depthwise_conv_s8_mve(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                              const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights,
                              const int32_t *bias, const mf_shape4 *out, int8_t *output)
{
    if (out->c != in->c) {
        mf_depthwise_conv_s8(p, rq, in, input, kh, kw, weights, bias, out, output);
        return;
    }
    const int32_t c_count = out->c, row_stride = in->w * c_count;
    for (int32_t n = 0; n < out->n; n++)
        for (int32_t oy = 0; oy < out->h; oy++) {
            const int32_t y0 = oy * p->stride_h - p->pad_top;
            int32_t ky_first, ky_end;
            mf_window_taps(y0, p->dilation_h, kh, in->h, &ky_first, &ky_end);
            for (int32_t ox = 0; ox < out->w; ox++) {
                const int32_t x0 = ox * p->stride_w - p->pad_left;
                int32_t kx_first, kx_end;
                mf_window_taps(x0, p->dilation_w, kw, in->w, &kx_first, &kx_end);
                const int8_t *image = input + (size_t)n * in->h * row_stride;
                int8_t *dst = output + (((size_t)n * out->h + oy) * out->w + ox) * c_count;
                for (int32_t c = 0; c < c_count; c += 4) {
                    const mve_pred16_t lanes = vctp32q((uint32_t)(c_count - c));
                    int32x4_t acc = bias ? vldrwq_z_s32(bias + c, lanes) : vdupq_n_s32(0);
                    if (c + 4 <= c_count)
                        acc = window_sum(image + c, weights + c, c_count, row_stride, kw, ky_first, ky_end, kx_first,
                                         kx_end, y0, x0, p->dilation_h, p->dilation_w, p->input_zero_point, acc,
                                         lanes, 1);
                    else
                        acc = window_sum(image + c, weights + c, c_count, row_stride, kw, ky_first, ky_end, kx_first,
                                         kx_end, y0, x0, p->dilation_h, p->dilation_w, p->input_zero_point, acc,
                                         lanes, 0);
                    const int32x4_t q = mf_mve_requantize(acc, vldrwq_z_s32(rq->multiplier + c, lanes),
                                                          vldrwq_z_s32(rq->shift + c, lanes));
                    mf_mve_store_s8(dst + c, q, p->output_zero_point, p->act_min, p->act_max, lanes);
                }
            }
        }
}
