#include "nn/ops/mve/mf_kernels_s8_mve.h"
#include "nn/ops/mve/mf_mve_s8.h"

static int same_shape(const mf_shape4 *a, const mf_shape4 *b)
{
    return a->n == b->n && a->h == b->h && a->w == b->w && a->c == b->c;
}

/* Same-shape operands are one flat run of elements, four per vector; the
 * arithmetic is binary_s8.c's, lane by lane. */
void mf_binary_s8_mve(mf_binary kind, const mf_binary_s8_params *p, const mf_shape4 *as, const int8_t *a,
                      const mf_shape4 *bs, const int8_t *b, const mf_shape4 *out, int8_t *output)
{
    if (!same_shape(as, out) || !same_shape(bs, out)) {
        mf_binary_s8(kind, p, as, a, bs, b, out, output);
        return;
    }
    const int32_t total = out->n * out->h * out->w * out->c;
    const int32x4_t out_multiplier = vdupq_n_s32(p->output_multiplier), out_shift = vdupq_n_s32(p->output_shift);
    const int32x4_t a_multiplier = vdupq_n_s32(p->a_multiplier), a_shift = vdupq_n_s32(p->a_shift);
    const int32x4_t b_multiplier = vdupq_n_s32(p->b_multiplier), b_shift = vdupq_n_s32(p->b_shift);
    for (int32_t i = 0; i < total; i += 4) {
        const mve_pred16_t lanes = vctp32q((uint32_t)(total - i));
        const int32x4_t va = vsubq_n_s32(vldrbq_z_s32(a + i, lanes), p->a_zero_point);
        const int32x4_t vb = vsubq_n_s32(vldrbq_z_s32(b + i, lanes), p->b_zero_point);
        int32x4_t raw;
        if (kind == MF_BINARY_MUL) {
            raw = vmulq_s32(va, vb);
        } else {
            const int32x4_t sa = mf_mve_requantize(vshlq_r_s32(va, p->left_shift), a_multiplier, a_shift);
            const int32x4_t sb = mf_mve_requantize(vshlq_r_s32(vb, p->left_shift), b_multiplier, b_shift);
            raw = vaddq_s32(sa, sb);
        }
        mf_mve_store_s8(output + i, mf_mve_requantize(raw, out_multiplier, out_shift), p->output_zero_point,
                        p->act_min, p->act_max, lanes);
    }
}
