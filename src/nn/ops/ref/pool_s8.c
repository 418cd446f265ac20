#include "nn/ops/mf_kernels_s8.h"
#include "nn/ops/ref/mf_window.h"
#include "nn/ops/ref/requantize.h"

/* Reference int8 max / average pooling; window geometry as mf_pool_f32. */
void mf_pool_s8(const mf_pool_params *p, int32_t zero_point, int32_t act_min, int32_t act_max,
                const mf_shape4 *in, const int8_t *input, const mf_shape4 *out, int8_t *output)
{
    for (int32_t n = 0; n < out->n; n++)
        for (int32_t oy = 0; oy < out->h; oy++) {
            const int32_t y0 = oy * p->stride_h - p->pad_top;
            int32_t ky_first, ky_end;
            mf_window_taps(y0, 1, p->kernel_h, in->h, &ky_first, &ky_end);
            for (int32_t ox = 0; ox < out->w; ox++) {
                const int32_t x0 = ox * p->stride_w - p->pad_left;
                int32_t kx_first, kx_end;
                mf_window_taps(x0, 1, p->kernel_w, in->w, &kx_first, &kx_end);
                int32_t y_hi = y0 + p->kernel_h, x_hi = x0 + p->kernel_w;
                if (y_hi > in->h + p->pad_bottom) y_hi = in->h + p->pad_bottom;
                if (x_hi > in->w + p->pad_right) x_hi = in->w + p->pad_right;
                const int32_t padded_count = (y_hi - y0) * (x_hi - x0);
                const int32_t valid_count = (ky_end - ky_first) * (kx_end - kx_first);
                int8_t *dst = output + (((size_t)n * out->h + oy) * out->w + ox) * out->c;
                for (int32_t c = 0; c < out->c; c++) {
                    int32_t acc = p->kind == MF_POOL_MAX ? -128 : 0;
                    for (int32_t ky = ky_first; ky < ky_end; ky++)
                        for (int32_t kx = kx_first; kx < kx_end; kx++) {
                            const int32_t v = input[(((size_t)n * in->h + y0 + ky) * in->w + x0 + kx) * in->c + c];
                            if (p->kind == MF_POOL_AVG) acc += v;
                            else if (v > acc) acc = v;
                        }
                    if (p->kind == MF_POOL_AVG) {
                        int32_t count = valid_count;
                        if (p->count_include_pad) { /* padded taps hold the zero point */
                            acc += (padded_count - valid_count) * zero_point;
                            count = padded_count;
                        }
                        if (count < 1) count = 1;
                        /* nearest, ties away from zero (TFLite's int8 average pool) */
                        acc = acc >= 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    }
                    dst[c] = mf_clamp_s8(acc, act_min, act_max);
                }
            }
        }
}
