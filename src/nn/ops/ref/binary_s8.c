#include "nn/ops/mf_kernels_s8.h"
#include "nn/ops/ref/requantize.h"

/* One output element of TFLite's int8 ADD/SUB (SUB: b_multiplier negated by
 * mf_binary_s8_params_init) or MUL; see mf_kernels_s8.h. */
static int8_t combine(mf_binary kind, const mf_binary_s8_params *p, int32_t a, int32_t b)
{
    int32_t raw;
    if (kind == MF_BINARY_MUL) {
        raw = mf_requantize((a - p->a_zero_point) * (b - p->b_zero_point), p->output_multiplier, p->output_shift);
    } else {
        const int32_t sa = mf_requantize((a - p->a_zero_point) * (1 << p->left_shift), p->a_multiplier, p->a_shift);
        const int32_t sb = mf_requantize((b - p->b_zero_point) * (1 << p->left_shift), p->b_multiplier, p->b_shift);
        /* The sum wraps (as Helium's VADD and x86's vpaddd do) instead of
         * overflowing, which only extreme multipliers reach. */
        raw = mf_requantize((int32_t)((uint32_t)sa + (uint32_t)sb), p->output_multiplier, p->output_shift);
    }
    return mf_clamp_s8(raw + p->output_zero_point, p->act_min, p->act_max);
}

void mf_binary_s8(mf_binary kind, const mf_binary_s8_params *p, const mf_shape4 *as, const int8_t *a,
                  const mf_shape4 *bs, const int8_t *b, const mf_shape4 *out, int8_t *output)
{
    /* A broadcast dimension (size 1) has stride 0, as in mf_binary_f32. */
    const size_t a_c = as->c > 1, a_w = as->w > 1 ? (size_t)as->c : 0, a_h = as->h > 1 ? (size_t)as->w * as->c : 0,
                 a_n = as->n > 1 ? (size_t)as->h * as->w * as->c : 0;
    const size_t b_c = bs->c > 1, b_w = bs->w > 1 ? (size_t)bs->c : 0, b_h = bs->h > 1 ? (size_t)bs->w * bs->c : 0,
                 b_n = bs->n > 1 ? (size_t)bs->h * bs->w * bs->c : 0;
    size_t i = 0;
    for (int32_t n = 0; n < out->n; n++)
        for (int32_t y = 0; y < out->h; y++)
            for (int32_t x = 0; x < out->w; x++) {
                const int8_t *pa = a + n * a_n + y * a_h + x * a_w;
                const int8_t *pb = b + n * b_n + y * b_h + x * b_w;
                for (int32_t c = 0; c < out->c; c++, i++) output[i] = combine(kind, p, pa[c * a_c], pb[c * b_c]);
            }
}
