#include "nn/ops/mve/mf_kernels_s8_mve.h"
#include "nn/ops/mve/mf_mve_s8.h"
#include "nn/ops/ref/mf_window.h"

/* `whole` is a constant at each call site below: whole vectors load
 * unpredicated (GCC would otherwise save and restore the predicate around
 * every load). */
static inline int32x4_t load4(const int8_t *src, mve_pred16_t lanes, int whole)
{
    return whole ? vldrbq_s32(src) : vldrbq_z_s32(src, lanes);
}

/* Sum over the window's valid taps of (x - zp) * w for four channels. */
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
            acc = vaddq_s32(acc, vmulq_s32(vsubq_n_s32(load4(src, lanes, whole), zero_point), load4(w, lanes, whole)));
        }
    }
    return acc;
}

/* Output pixels [ox_first, ox_end) of a row whose 3x3 windows lie inside the
 * image: the four channels' nine weight vectors are widened once (WIDE) and
 * the input zero point is folded into the bias (FOLDED = bias - zp * sum w),
 * so a tap is one load, one multiply and one add. int32 wraps modulo 2^32,
 * so the reordered sum equals the reference's accumulator exactly. */
static inline __attribute__((always_inline)) void interior_3x3(
    const int8_t *src, int32_t src_step, int32_t row_step, int32_t col_step, const int32x4_t wide[9],
    int32x4_t folded, int32x4_t multiplier, int32x4_t shift, int8_t *dst, int32_t dst_step, int32_t count,
    int32_t output_zero_point, int32_t act_min, int32_t act_max, mve_pred16_t lanes, int whole)
{
    for (int32_t i = 0; i < count; i++, src += src_step, dst += dst_step) {
        int32x4_t acc = folded;
        const int8_t *r = src;
#pragma GCC unroll 3
        for (int ky = 0; ky < 3; ky++, r += row_step) {
            acc = vaddq_s32(acc, vmulq_s32(load4(r, lanes, whole), wide[3 * ky]));
            acc = vaddq_s32(acc, vmulq_s32(load4(r + col_step, lanes, whole), wide[3 * ky + 1]));
            acc = vaddq_s32(acc, vmulq_s32(load4(r + 2 * col_step, lanes, whole), wide[3 * ky + 2]));
        }
        mf_mve_store_s8(dst, mf_mve_requantize(acc, multiplier, shift), output_zero_point, act_min, act_max, lanes);
    }
}

/* The same for other kernel sizes (EdgeNeXt's 5x5, 7x7, 9x9): too many
 * weight vectors to keep widened, so each tap loads its weights as well
 * (one input load, one weight load, a multiply and an add); the input
 * zero point is folded into the bias as above and no window clipping is
 * computed per pixel. */
static inline __attribute__((always_inline)) void interior_kxk(
    const int8_t *src, int32_t src_step, int32_t row_step, int32_t col_step, const int8_t *weights_c,
    int32_t c_count, int32_t kh, int32_t kw, int32x4_t folded, int32x4_t multiplier, int32x4_t shift, int8_t *dst,
    int32_t dst_step, int32_t count, int32_t output_zero_point, int32_t act_min, int32_t act_max,
    mve_pred16_t lanes, int whole)
{
    for (int32_t i = 0; i < count; i++, src += src_step, dst += dst_step) {
        int32x4_t acc = folded;
        const int8_t *r = src, *w = weights_c;
        for (int32_t ky = 0; ky < kh; ky++, r += row_step) {
            const int8_t *x = r;
            for (int32_t kx = 0; kx < kw; kx++, x += col_step, w += c_count)
                acc = vaddq_s32(acc, vmulq_s32(load4(x, lanes, whole), load4(w, lanes, whole)));
        }
        mf_mve_store_s8(dst, mf_mve_requantize(acc, multiplier, shift), output_zero_point, act_min, act_max, lanes);
    }
}

/* Channels c..c+3 of one output row (image n, row oy): the bias and the
 * requantization parameters are loaded once for the row; pixels whose
 * window is inside the image take interior_3x3 (3x3) or interior_kxk (other
 * sizes), the others window_sum. */
static inline __attribute__((always_inline)) void row_channels(const mf_conv_s8_params *p, const mf_channel_requant *rq,
                                                               const mf_shape4 *in, const int8_t *image, int32_t kh,
                                                               int32_t kw, const int8_t *weights, const int32_t *bias,
                                                               const mf_shape4 *out, int8_t *dst_row, int32_t oy,
                                                               int32_t c, int whole)
{
    const int32_t c_count = out->c, row_stride = in->w * c_count, out_w = out->w;
    const int32_t stride_w = p->stride_w, pad_left = p->pad_left, dilation_w = p->dilation_w;
    const int32_t zero_point = p->input_zero_point, output_zero_point = p->output_zero_point;
    const int32_t act_min = p->act_min, act_max = p->act_max;
    const mve_pred16_t lanes = vctp32q((uint32_t)(c_count - c));
    const int32x4_t bias_v = bias ? vldrwq_z_s32(bias + c, lanes) : vdupq_n_s32(0);
    const int32x4_t multiplier = vldrwq_z_s32(rq->multiplier + c, lanes), shift = vldrwq_z_s32(rq->shift + c, lanes);
    const int32_t y0 = oy * p->stride_h - p->pad_top;
    int32_t ky_first, ky_end;
    mf_window_taps(y0, p->dilation_h, kh, in->h, &ky_first, &ky_end);
    /* [ox_first, ox_end): windows inside the image horizontally */
    int32_t ox_first = out_w, ox_end = out_w;
    const int32_t x0_last = in->w - 1 - (kw - 1) * dilation_w; /* largest x0 with the window inside */
    if (ky_first == 0 && ky_end == kh && x0_last + pad_left >= 0) {
        ox_first = (pad_left + stride_w - 1) / stride_w;
        ox_end = (x0_last + pad_left) / stride_w + 1;
        if (ox_end > out_w) ox_end = out_w;
        if (ox_first > ox_end) ox_first = ox_end;
    }
    for (int32_t ox = 0; ox < out_w; ox++) {
        if (ox == ox_first && ox_first < ox_end && !(kh == 3 && kw == 3)) {
            int32x4_t sum = vdupq_n_s32(0);
            for (int32_t k = 0; k < kh * kw; k++)
                sum = vaddq_s32(sum, load4(weights + (size_t)k * c_count + c, lanes, whole));
            const int32_t x0 = ox * stride_w - pad_left;
            interior_kxk(image + (size_t)y0 * row_stride + (size_t)x0 * c_count + c, stride_w * c_count,
                         p->dilation_h * row_stride, dilation_w * c_count, weights + c, c_count, kh, kw,
                         vsubq_s32(bias_v, vmulq_n_s32(sum, zero_point)), multiplier, shift,
                         dst_row + (size_t)ox * c_count + c, c_count, ox_end - ox_first, output_zero_point, act_min,
                         act_max, lanes, whole);
            ox = ox_end - 1;
            continue;
        }
        if (ox == ox_first && ox_first < ox_end) {
            int32x4_t wide[9], sum = vdupq_n_s32(0);
            for (int k = 0; k < 9; k++) {
                wide[k] = load4(weights + (size_t)k * c_count + c, lanes, whole);
                sum = vaddq_s32(sum, wide[k]);
            }
            const int32_t x0 = ox * stride_w - pad_left;
            interior_3x3(image + (size_t)y0 * row_stride + (size_t)x0 * c_count + c, stride_w * c_count,
                         p->dilation_h * row_stride, dilation_w * c_count, wide,
                         vsubq_s32(bias_v, vmulq_n_s32(sum, zero_point)), multiplier, shift,
                         dst_row + (size_t)ox * c_count + c, c_count, ox_end - ox_first, output_zero_point, act_min,
                         act_max, lanes, whole);
            ox = ox_end - 1;
            continue;
        }
        const int32_t x0 = ox * stride_w - pad_left;
        int32_t kx_first, kx_end;
        mf_window_taps(x0, dilation_w, kw, in->w, &kx_first, &kx_end);
        const int32x4_t acc = window_sum(image + c, weights + c, c_count, row_stride, kw, ky_first, ky_end, kx_first,
                                         kx_end, y0, x0, p->dilation_h, dilation_w, zero_point, bias_v, lanes, whole);
        mf_mve_store_s8(dst_row + (size_t)ox * c_count + c, mf_mve_requantize(acc, multiplier, shift),
                        output_zero_point, act_min, act_max, lanes);
    }
}

/* Channel multiplier 1: channels are contiguous in the input, the weights
 * ([kh][kw][c]) and the output, so four channels go in one int32x4; padded
 * taps are skipped, as in the reference. Each output row is swept once per
 * four channels. */
void mf_depthwise_conv_s8_mve(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                              const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights,
                              const int32_t *bias, const mf_shape4 *out, int8_t *output)
{
    if (out->c != in->c) {
        mf_depthwise_conv_s8(p, rq, in, input, kh, kw, weights, bias, out, output);
        return;
    }
    const int32_t c_count = out->c;
    for (int32_t n = 0; n < out->n; n++) {
        const int8_t *image = input + (size_t)n * in->h * in->w * c_count;
        for (int32_t oy = 0; oy < out->h; oy++) {
            int8_t *dst_row = output + ((size_t)n * out->h + oy) * out->w * c_count;
            int32_t c = 0;
            for (; c + 4 <= c_count; c += 4)
                row_channels(p, rq, in, image, kh, kw, weights, bias, out, dst_row, oy, c, 1);
            if (c < c_count) row_channels(p, rq, in, image, kh, kw, weights, bias, out, dst_row, oy, c, 0);
        }
    }
}
