#include "nn/ops/mf_kernels.h"
#include "nn/ops/ref/mf_window.h"

/* Reference max / average pooling, NHWC. Padding never contributes to a max
 * (as -inf would); for the average it counts as zeros when
 * count_include_pad is set. */
void mf_pool_f32(const mf_pool_params *p, const mf_shape4 *in, const float *input, const mf_shape4 *out, float *output)
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
                /* With padding counted, the window is still clipped to the
                 * padded input (as torch does when the last window overhangs). */
                int32_t y_hi = y0 + p->kernel_h, x_hi = x0 + p->kernel_w;
                if (y_hi > in->h + p->pad_bottom) y_hi = in->h + p->pad_bottom;
                if (x_hi > in->w + p->pad_right) x_hi = in->w + p->pad_right;
                const int32_t padded_count = (y_hi - y0) * (x_hi - x0);
                const int32_t valid_count = (ky_end - ky_first) * (kx_end - kx_first);
                float *dst = output + (((size_t)n * out->h + oy) * out->w + ox) * out->c;
                for (int32_t c = 0; c < out->c; c++) {
                    float acc = p->kind == MF_POOL_MAX ? -3.402823466e38f : 0.0f;
                    for (int32_t ky = ky_first; ky < ky_end; ky++)
                        for (int32_t kx = kx_first; kx < kx_end; kx++) {
                            const float v = input[(((size_t)n * in->h + y0 + ky) * in->w + x0 + kx) * in->c + c];
                            if (p->kind == MF_POOL_AVG) acc += v;
                            else if (v > acc || v != v) acc = v; /* a NaN sticks, as in torch */
                        }
                    if (p->kind == MF_POOL_AVG) {
                        const int32_t count = p->count_include_pad ? padded_count : valid_count;
                        acc /= (float)(count > 0 ? count : 1);
                    }
                    dst[c] = acc;
                }
            }
        }
}
