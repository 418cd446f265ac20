#include "nn/ops/x86/mf_kernels_s8_x86.h"

/* No vector path yet: the reference at every level. */
void mf_binary_s8_x86(mf_binary kind, const mf_binary_s8_params *p, const mf_shape4 *a_shape, const int8_t *a,
                      const mf_shape4 *b_shape, const int8_t *b, const mf_shape4 *out, int8_t *output)
{
    mf_binary_s8(kind, p, a_shape, a, b_shape, b, out, output);
}
