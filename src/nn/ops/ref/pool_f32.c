#include "nn/ops/mf_kernels.h"

void mf_pool_f32(const mf_pool_params *p, const mf_shape4 *in, const float *input, const mf_shape4 *out, float *output)
{
    for (int32_t n = 0; n < out->n; n++)
        for (int32_t oy = 0; oy < out->h; oy++)
            for (int32_t ox = 0; ox < out->w; ox++)
                for (int32_t c = 0; c < out->c; c++) {
                    const int32_t y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
                    float acc = p->kind == MF_POOL_MAX ? -3.402823466e38f : 0.0f;
                    int32_t valid = 0;
                    for (int32_t ky = 0; ky < p->kernel_h; ky++) {
                        const int32_t iy = y0 + ky;
                        if (iy < 0 || iy >= in->h) continue;
                        for (int32_t kx = 0; kx < p->kernel_w; kx++) {
                            const int32_t ix = x0 + kx;
                            if (ix < 0 || ix >= in->w) continue;
                            float v = input[(((size_t)n * in->h + iy) * in->w + ix) * in->c + c];
                            if (p->kind == MF_POOL_MAX) acc = v > acc ? v : acc;
                            else acc += v;
                            valid++;
                        }
                    }
                    if (p->kind == MF_POOL_AVG) {
                        /* With padding counted, the window is clipped to the padded input (as torch). */
                        int32_t hy = y0 + p->kernel_h, hx = x0 + p->kernel_w;
                        int32_t ly = y0, lx = x0;
                        if (hy > in->h + p->pad_bottom) hy = in->h + p->pad_bottom;
                        if (hx > in->w + p->pad_right) hx = in->w + p->pad_right;
                        int32_t full = (hy - ly) * (hx - lx);
                        acc /= (float)(p->count_include_pad ? full : (valid ? valid : 1));
                    }
                    output[(((size_t)n * out->h + oy) * out->w + ox) * out->c + c] = acc;
                }
}
