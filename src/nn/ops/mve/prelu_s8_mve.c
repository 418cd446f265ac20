#include "nn/ops/mve/mf_kernels_s8_mve.h"
#include "nn/ops/mve/mf_mve_s8.h"

/* Four channels: d = x - input zero point, then each lane's multiplier and
 * shift chosen by its sign (the positive pair where d >= 0, the channel's
 * negative pair elsewhere) and one mf_mve_requantize, which is per lane the
 * reference's mf_requantize whichever pair it gets; + output zero point,
 * saturated to int8. */
typedef struct prelu_scalars {
    int32_t input_zero_point, output_zero_point, positive_multiplier, positive_shift;
} prelu_scalars;

static inline __attribute__((always_inline)) int32x4_t prelu4(prelu_scalars k, int32x4_t x, int32x4_t neg_mult,
                                                              int32x4_t neg_shift)
{
    const int32x4_t d = vsubq_n_s32(x, k.input_zero_point);
    const mve_pred16_t nonneg = vcmpgeq_n_s32(d, 0);
    const int32x4_t m = vdupq_m_n_s32(neg_mult, k.positive_multiplier, nonneg);
    const int32x4_t s = vdupq_m_n_s32(neg_shift, k.positive_shift, nonneg);
    const int32x4_t q = vaddq_n_s32(mf_mve_requantize(d, m, s), k.output_zero_point);
    return vminq_s32(vmaxq_s32(q, vdupq_n_s32(-128)), vdupq_n_s32(127));
}

/* N (<= channels) values of one row, channel 0 first: whole groups of four
 * unpredicated, then one predicated tail (no load past the row or the
 * per-channel arrays). Each group is loaded before it is stored, so it may
 * run in place. The scalars are copied first: the int8 stores could alias
 * *p, so the compiler would otherwise load them again for every group. */
static void prelu_row(const mf_prelu_s8_params *p, const int8_t *in, int32_t n, int8_t *out)
{
    const int32_t *nm = p->negative_multiplier, *ns = p->negative_shift;
    const prelu_scalars k = {p->input_zero_point, p->output_zero_point, p->positive_multiplier, p->positive_shift};
    int32_t c = 0;
    for (; c + 4 <= n; c += 4)
        vstrbq_s32(out + c, prelu4(k, vldrbq_s32(in + c), vldrwq_s32(nm + c), vldrwq_s32(ns + c)));
    if (c < n) {
        const mve_pred16_t lanes = vctp32q((uint32_t)(n - c));
        const int32x4_t q =
            prelu4(k, vldrbq_z_s32(in + c, lanes), vldrwq_z_s32(nm + c, lanes), vldrwq_z_s32(ns + c, lanes));
        vstrbq_p_s32(out + c, q, lanes);
    }
}

void mf_prelu_s8_mve(const mf_prelu_s8_params *p, const int8_t *input, size_t count, int32_t channels,
                     int8_t *output)
{
    if (channels <= 0) {
        mf_prelu_s8(p, input, count, channels, output);
        return;
    }
    size_t i = 0;
    for (; count - i >= (size_t)channels; i += (size_t)channels) prelu_row(p, input + i, channels, output + i);
    if (i < count) prelu_row(p, input + i, (int32_t)(count - i), output + i);
}
