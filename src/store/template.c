/* Templates: L2-normalised embeddings quantized to int8 with one scale, and
 * the integer dot product the 1:N search runs on. */
#include "store/store_internal.h"
#include <math.h>
#include <string.h>

int mf_template_normalize(const float *in, float *out)
{
    double sum = 0.0;
    for (int i = 0; i < MF_STORE_DIM; i++) {
        if (!isfinite(in[i])) return MF_EINVAL;
        sum += (double)in[i] * (double)in[i];
    }
    if (!(sum > 1e-30) || !isfinite(sum)) return MF_EINVAL;
    double inv = 1.0 / sqrt(sum);
    for (int i = 0; i < MF_STORE_DIM; i++) out[i] = (float)((double)in[i] * inv);
    return MF_OK;
}

/* Symmetric per-template scale: the largest magnitude maps to 127, so every
 * template uses the full int8 range (cosine does not depend on the scale). */
void mf_template_quantize(const float *unit, int8_t *q, float *scale)
{
    float max = 0.0f;
    for (int i = 0; i < MF_STORE_DIM; i++) {
        float a = fabsf(unit[i]);
        if (a > max) max = a;
    }
    float s = max > 0.0f ? 127.0f / max : 1.0f;
    for (int i = 0; i < MF_STORE_DIM; i++) {
        long v = lrintf(unit[i] * s);
        q[i] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
    }
    *scale = s;
}

/* The hot loop of 1:N search: plain int32 accumulation of int8 products, a
 * shape compilers vectorize (x86 pmaddwd; Helium VMLADAV with intrinsics). */
int32_t mf_template_dot(const int8_t *a, const int8_t *b)
{
    int32_t acc = 0;
    for (int i = 0; i < MF_STORE_DIM; i++) acc += (int32_t)a[i] * (int32_t)b[i];
    return acc;
}

float mf_template_inv_norm(const int8_t *q)
{
    int32_t n2 = mf_template_dot(q, q);
    return n2 > 0 ? 1.0f / sqrtf((float)n2) : 0.0f;
}

/* Plaintext of a template record: scale as IEEE-754 bits (LE), then the int8 values. */
int mf_template_encode(const int8_t *q, float scale, uint8_t *plain)
{
    uint32_t bits;
    memcpy(&bits, &scale, 4);
    mf_put_u32(plain, bits);
    memcpy(plain + 4, q, MF_STORE_DIM);
    return MF_OK;
}

/* Rejects scales that quantize cannot produce (keeps imported data sane). */
int mf_template_decode(const uint8_t *plain, int8_t *q, float *scale)
{
    uint32_t bits = mf_get_u32(plain);
    float s;
    memcpy(&s, &bits, 4);
    if (!isfinite(s) || !(s >= 1.0f) || s > 1.0e6f) return MF_ECORRUPT;
    int any = 0;
    for (int i = 0; i < MF_STORE_DIM; i++) {
        int8_t v = (int8_t)plain[4 + i];
        if (v == -128) return MF_ECORRUPT;
        any |= v;
        q[i] = v;
    }
    if (!any) return MF_ECORRUPT;
    *scale = s;
    return MF_OK;
}
