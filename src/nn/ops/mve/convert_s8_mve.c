#include "nn/ops/mve/mf_kernels_s8_mve.h"
#include "nn/ops/mve/mf_mve_s8.h"
#include <math.h>

/* Quantize, four lanes per vector. The reference divides (x / scale, one
 * correctly rounded float division, then lroundf); Helium has no vector
 * divide, so the lanes multiply by inv = fl(1 / scale) and round with VCVTA
 * (to nearest, ties away from zero, as lroundf). Why that is bit-exact:
 *   v' = fl(x * inv) = (x / s)(1 + d1)(1 + d2), v = fl(x / s) = (x / s)(1 + d3),
 *   |di| <= 2^-24, so |v' - v| <= 3.0000002 * 2^-24 * |x / s| < 2^-12 for
 *   |x / s| <= 1001 (the only range where the value is not saturated:
 *   beyond, both sides clamp to the same +-1000).
 * round(clamp(.)) only steps at half-integers, so when v' is at least 2^-10
 * from one, v rounds to the same integer. A vector with any lane nearer is
 * done by the reference (rare). Scale is kept to [2^-60, 2^60]: inv is then
 * a normal number and a product that underflows (or is flushed to zero) is
 * far below 0.5 on both sides; NaN becomes -1000 through VMAXNM as in the
 * reference, infinities clamp as there. Outside that range of scales the
 * reference runs. Each vector is loaded before its four bytes are stored,
 * so the output may start at the input, as with the reference loop. */
void mf_quantize_f32_s8_mve(const float *input, size_t count, float scale, int32_t zero_point, int8_t *output)
{
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
    if (!(scale >= 0x1p-60f && scale <= 0x1p60f) || zero_point < -128 || zero_point > 127) {
        mf_quantize_f32_s8(input, count, scale, zero_point, output);
        return;
    }
    const float inv = 1.0f / scale;
    const float32x4_t lo = vdupq_n_f32(-1000.0f), hi = vdupq_n_f32(1000.0f);
    const float32x4_t half = vdupq_n_f32(0.5f), tie = vdupq_n_f32(0x1p-10f);
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        float32x4_t v = vmulq_n_f32(vld1q_f32(input + i), inv);
        v = vminnmq_f32(vmaxnmq_f32(v, lo), hi);
        const float32x4_t a = vabsq_f32(v);
        const float32x4_t off = vabsq_f32(vsubq_f32(vsubq_f32(a, vrndq_f32(a)), half));
        if (vcmpltq_f32(off, tie)) {
            mf_quantize_f32_s8(input + i, 4, scale, zero_point, output + i);
            continue;
        }
        mf_mve_store_s8(output + i, vcvtaq_s32_f32(v), zero_point, -128, 127, 0xffff);
    }
    if (i < count) mf_quantize_f32_s8(input + i, count - i, scale, zero_point, output + i);
#else
    mf_quantize_f32_s8(input, count, scale, zero_point, output);
#endif
}

/* Dequantize, four lanes per vector: q - zero_point is exact in int32 and in
 * float (|zero_point| <= 2^20 here), so each lane is the reference's one
 * float multiply, rounded the same way. Scales of magnitude below 2^-100
 * (or not finite) run the reference: then a product could be subnormal,
 * where Helium might flush to zero and the scalar FPU does not. */
void mf_dequantize_s8_f32_mve(const int8_t *input, size_t count, float scale, int32_t zero_point, float *output)
{
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
    const float magnitude = scale < 0.0f ? -scale : scale;
    if (!(magnitude >= 0x1p-100f && magnitude <= 0x1.fffffep127f) || zero_point < -(1 << 20) ||
        zero_point > (1 << 20)) {
        mf_dequantize_s8_f32(input, count, scale, zero_point, output);
        return;
    }
    size_t i = 0;
    for (; i + 4 <= count; i += 4)
        vst1q_f32(output + i, vmulq_n_f32(vcvtq_f32_s32(vsubq_n_s32(vldrbq_s32(input + i), zero_point)), scale));
    if (i < count) {
        const mve_pred16_t lanes = vctp32q((uint32_t)(count - i));
        const int32x4_t q = vsubq_n_s32(vldrbq_z_s32(input + i, lanes), zero_point);
        vstrwq_p_f32(output + i, vmulq_n_f32(vcvtq_f32_s32(q), scale), lanes);
    }
#else
    mf_dequantize_s8_f32(input, count, scale, zero_point, output);
#endif
}
