/* Host / prepare-step helpers that turn real scales into the integer
 * multipliers of the s8 kernels (TFLite QuantizeMultiplier and the Prepare of
 * its int8 ADD/SUB/MUL). Double arithmetic, never on the inference path. */
#include "nn/ops/mf_kernels_s8.h"
#include <math.h>

int mf_quantize_multiplier(double real, int32_t *multiplier, int32_t *shift)
{
    *multiplier = 0;
    *shift = 0;
    if (isnan(real) || isinf(real)) return -1;
    if (real <= 0.0) return 0;
    int exponent;
    const double fraction = frexp(real, &exponent); /* real = fraction * 2^exponent, fraction in [0.5, 1) */
    int64_t q = (int64_t)llround(fraction * 2147483648.0);
    if (q == ((int64_t)1 << 31)) { /* rounded up to 1.0 */
        q /= 2;
        exponent++;
    }
    if (exponent < -31) return 0; /* below 2^-32: the product rounds to 0 anyway */
    if (exponent > 30) {           /* saturate: the largest representable multiplier */
        exponent = 30;
        q = INT32_MAX;
    }
    *multiplier = (int32_t)q;
    *shift = exponent;
    return 0;
}

int mf_binary_s8_params_init(mf_binary kind, double a_scale, int32_t a_zero_point, double b_scale,
                             int32_t b_zero_point, double output_scale, int32_t output_zero_point,
                             int32_t act_min, int32_t act_max, mf_binary_s8_params *p)
{
    if (!(a_scale > 0.0) || !(b_scale > 0.0) || !(output_scale > 0.0)) return -1;
    *p = (mf_binary_s8_params){0};
    p->a_zero_point = a_zero_point;
    p->b_zero_point = b_zero_point;
    p->output_zero_point = output_zero_point;
    p->act_min = act_min;
    p->act_max = act_max;
    if (kind == MF_BINARY_MUL)
        return mf_quantize_multiplier(a_scale * b_scale / output_scale, &p->output_multiplier, &p->output_shift);
    /* ADD/SUB: 20 bits of headroom (int8 differences use 9 bits), both inputs
     * brought to twice the larger scale, so their multipliers are <= 0.5. */
    p->left_shift = 20;
    const double twice_max = 2.0 * (a_scale > b_scale ? a_scale : b_scale);
    if (mf_quantize_multiplier(a_scale / twice_max, &p->a_multiplier, &p->a_shift)) return -1;
    if (mf_quantize_multiplier(b_scale / twice_max, &p->b_multiplier, &p->b_shift)) return -1;
    if (kind == MF_BINARY_SUB) p->b_multiplier = -p->b_multiplier;
    return mf_quantize_multiplier(twice_max / ((double)(1 << p->left_shift) * output_scale),
                                  &p->output_multiplier, &p->output_shift);
}
