/* Reference int8 table lookup: an element-wise activation of an int8 graph
 * as a 256-entry table built when planning; semantics in nn/ops/mf_kernels_s8.h. */
#include "nn/ops/mf_kernels_s8.h"

void mf_lookup_s8(const int8_t *input, size_t count, const int8_t *table, int8_t *output)
{
    for (size_t i = 0; i < count; i++) output[i] = table[input[i] + 128];
}
