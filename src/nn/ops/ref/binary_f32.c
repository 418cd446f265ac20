#include "nn/ops/mf_kernels.h"

static float combine(mf_binary kind, float a, float b)
{
    switch (kind) {
    case MF_BINARY_SUB: return a - b;
    case MF_BINARY_MUL: return a * b;
    case MF_BINARY_DIV: return a / b;
    default: return a + b;
    }
}

static int same_shape(const mf_shape4 *x, const mf_shape4 *y)
{
    return x->n == y->n && x->h == y->h && x->w == y->w && x->c == y->c;
}

/* OUT[i] = A[i] op B[i % B_PERIOD] without an activation: the residual adds
 * (B_PERIOD = COUNT) and per-channel scales (B_PERIOD = channels) of the
 * transformer blocks, in a loop the compiler keeps tight (and vectorizes
 * where it may). Each element is the same single IEEE operation as in the
 * general loop, so the bytes are the same. */
static void binary_flat(mf_binary kind, const float *a, const float *b, size_t b_period, size_t count, float *output)
{
    for (size_t start = 0; start < count; start += b_period) {
        const float *pa = a + start;
        float *po = output + start;
        switch (kind) {
        case MF_BINARY_SUB: for (size_t c = 0; c < b_period; c++) po[c] = pa[c] - b[c]; break;
        case MF_BINARY_MUL: for (size_t c = 0; c < b_period; c++) po[c] = pa[c] * b[c]; break;
        case MF_BINARY_DIV: for (size_t c = 0; c < b_period; c++) po[c] = pa[c] / b[c]; break;
        default: for (size_t c = 0; c < b_period; c++) po[c] = pa[c] + b[c]; break;
        }
    }
}

void mf_binary_f32(mf_binary kind, const mf_shape4 *as, const float *a, const mf_shape4 *bs, const float *b,
                   const mf_shape4 *out, mf_act act, float act_alpha, float *output)
{
    const size_t count = (size_t)out->n * out->h * out->w * out->c;
    if (act == MF_ACT_NONE && same_shape(as, out) && count > 0) {
        if (same_shape(bs, out)) {
            binary_flat(kind, a, b, count, count, output);
            return;
        }
        if (bs->n == 1 && bs->h == 1 && bs->w == 1 && bs->c == out->c) {
            binary_flat(kind, a, b, (size_t)out->c, count, output);
            return;
        }
    }
    /* A broadcast dimension (size 1) has stride 0. */
    const size_t a_c = as->c > 1, a_w = as->w > 1 ? (size_t)as->c : 0, a_h = as->h > 1 ? (size_t)as->w * as->c : 0,
                 a_n = as->n > 1 ? (size_t)as->h * as->w * as->c : 0;
    const size_t b_c = bs->c > 1, b_w = bs->w > 1 ? (size_t)bs->c : 0, b_h = bs->h > 1 ? (size_t)bs->w * bs->c : 0,
                 b_n = bs->n > 1 ? (size_t)bs->h * bs->w * bs->c : 0;
    size_t i = 0;
    for (int32_t n = 0; n < out->n; n++)
        for (int32_t y = 0; y < out->h; y++)
            for (int32_t x = 0; x < out->w; x++) {
                const float *pa = a + n * a_n + y * a_h + x * a_w;
                const float *pb = b + n * b_n + y * b_h + x * b_w;
                for (int32_t c = 0; c < out->c; c++, i++)
                    output[i] = mf_act_apply_f32(combine(kind, pa[c * a_c], pb[c * b_c]), act, act_alpha);
            }
}
