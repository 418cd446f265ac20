#include "nn/ops/mve/mf_kernels_s8_mve.h"
#include "nn/ops/mve/mf_mve_s8.h"
#include "nn/ops/ref/mf_window.h"

/* Channel multiplier 1: channels are contiguous in the input, the weights
 * ([kh][kw][c]) and the output, so four channels go in one int32x4 and the
 * taps of the window are accumulated as (x - zp) * w; padded taps are
 * skipped, as in the reference. */
void mf_depthwise_conv_s8_mve(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                              const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights,
                              const int32_t *bias, const mf_shape4 *out, int8_t *output)
{
    if (out->c != in->c) {
        mf_depthwise_conv_s8(p, rq, in, input, kh, kw, weights, bias, out, output);
        return;
    }
    const int32_t c_count = out->c;
    for (int32_t n = 0; n < out->n; n++)
        for (int32_t oy = 0; oy < out->h; oy++) {
            const int32_t y0 = oy * p->stride_h - p->pad_top;
            int32_t ky_first, ky_end;
            mf_window_taps(y0, p->dilation_h, kh, in->h, &ky_first, &ky_end);
            for (int32_t ox = 0; ox < out->w; ox++) {
                const int32_t x0 = ox * p->stride_w - p->pad_left;
                int32_t kx_first, kx_end;
                mf_window_taps(x0, p->dilation_w, kw, in->w, &kx_first, &kx_end);
                int8_t *dst = output + (((size_t)n * out->h + oy) * out->w + ox) * c_count;
                for (int32_t c = 0; c < c_count; c += 4) {
                    const mve_pred16_t lanes = vctp32q((uint32_t)(c_count - c));
                    int32x4_t acc = bias ? vldrwq_z_s32(bias + c, lanes) : vdupq_n_s32(0);
                    for (int32_t ky = ky_first; ky < ky_end; ky++) {
                        const int32_t iy = y0 + ky * p->dilation_h;
                        const int8_t *row = input + (((size_t)n * in->h + iy) * in->w) * c_count + c;
                        const int8_t *wrow = weights + (size_t)ky * kw * c_count + c;
                        for (int32_t kx = kx_first; kx < kx_end; kx++) {
                            const int32_t ix = x0 + kx * p->dilation_w;
                            const int32x4_t x = vsubq_n_s32(vldrbq_z_s32(row + (size_t)ix * c_count, lanes),
                                                            p->input_zero_point);
                            const int32x4_t w = vldrbq_z_s32(wrow + (size_t)kx * c_count, lanes);
                            acc = vaddq_s32(acc, vmulq_s32(x, w));
                        }
                    }
                    const int32x4_t q = mf_mve_requantize(acc, vldrwq_z_s32(rq->multiplier + c, lanes),
                                                          vldrwq_z_s32(rq->shift + c, lanes));
                    mf_mve_store_s8(dst + c, q, p->output_zero_point, p->act_min, p->act_max, lanes);
                }
            }
        }
}
