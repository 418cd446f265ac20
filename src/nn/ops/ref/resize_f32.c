#include "nn/ops/mf_kernels.h"
#include <math.h>

/* Source coordinate and weight of the upper neighbour, as torch computes them. */
static void linear_source(int32_t d, int32_t in_size, int32_t out_size, int align_corners, int32_t *i0, int32_t *i1,
                          float *frac)
{
    float s;
    /* The scale is rounded to float first, then multiplied: torch's order. */
    if (align_corners) s = out_size > 1 ? ((float)(in_size - 1) / (float)(out_size - 1)) * (float)d : 0.0f;
    else {
        s = ((float)d + 0.5f) * ((float)in_size / (float)out_size) - 0.5f;
        if (s < 0.0f) s = 0.0f;
    }
    int32_t lo = (int32_t)s;
    if (lo > in_size - 1) lo = in_size - 1;
    *i0 = lo;
    *i1 = lo + 1 < in_size ? lo + 1 : lo;
    *frac = s - (float)lo;
}

void mf_resize_f32(mf_resize_mode mode, const mf_shape4 *in, const float *input, const mf_shape4 *out, float *output)
{
    for (int32_t n = 0; n < out->n; n++)
        for (int32_t y = 0; y < out->h; y++)
            for (int32_t x = 0; x < out->w; x++) {
                float *dst = output + (((size_t)n * out->h + y) * out->w + x) * out->c;
                if (mode == MF_RESIZE_NEAREST) {
                    /* torch 'nearest': floor(dst * in / out), with the scale in float */
                    int32_t sy = (int32_t)floorf((float)y * ((float)in->h / (float)out->h));
                    int32_t sx = (int32_t)floorf((float)x * ((float)in->w / (float)out->w));
                    if (sy > in->h - 1) sy = in->h - 1;
                    if (sx > in->w - 1) sx = in->w - 1;
                    const float *src = input + (((size_t)n * in->h + sy) * in->w + sx) * in->c;
                    for (int32_t c = 0; c < out->c; c++) dst[c] = src[c];
                    continue;
                }
                int32_t y0, y1, x0, x1;
                float fy, fx;
                int align = mode == MF_RESIZE_BILINEAR_ALIGN;
                linear_source(y, in->h, out->h, align, &y0, &y1, &fy);
                linear_source(x, in->w, out->w, align, &x0, &x1, &fx);
                const float *p00 = input + (((size_t)n * in->h + y0) * in->w + x0) * in->c;
                const float *p01 = input + (((size_t)n * in->h + y0) * in->w + x1) * in->c;
                const float *p10 = input + (((size_t)n * in->h + y1) * in->w + x0) * in->c;
                const float *p11 = input + (((size_t)n * in->h + y1) * in->w + x1) * in->c;
                for (int32_t c = 0; c < out->c; c++)
                    dst[c] = (1.0f - fy) * ((1.0f - fx) * p00[c] + fx * p01[c]) + fy * ((1.0f - fx) * p10[c] + fx * p11[c]);
            }
}
