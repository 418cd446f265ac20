#include "nn/ops/x86/mf_kernels_s8_x86.h"

/* No vector path yet: the reference at every level. */
void mf_lookup_s8_x86(const int8_t *input, size_t count, const int8_t *table, int8_t *output)
{
    mf_lookup_s8(input, count, table, output);
}
