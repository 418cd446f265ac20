#include "nn/ops/x86/mf_kernels_s8_x86.h"

/* No vector path yet: the reference at every level. */
void mf_prelu_s8_x86(const mf_prelu_s8_params *p, const int8_t *input, size_t count, int32_t channels,
                     int8_t *output)
{
    mf_prelu_s8(p, input, count, channels, output);
}
