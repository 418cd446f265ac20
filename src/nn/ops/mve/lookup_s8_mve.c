#include "nn/ops/mve/mf_kernels_s8_mve.h"
#include "nn/ops/mve/mf_mve_s8.h"

/* Sixteen bytes per pass: the offsets are the inputs + 128 (the sign bit
 * flipped), then one gather load from the table. Each block is loaded
 * before it is stored, so the lookup may run in place, as the reference. */
void mf_lookup_s8_mve(const int8_t *input, size_t count, const int8_t *table, int8_t *output)
{
    const uint8x16_t sign = vdupq_n_u8(0x80);
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        const uint8x16_t offsets = veorq_u8(vldrbq_u8((const uint8_t *)input + i), sign);
        vstrbq_s8(output + i, vldrbq_gather_offset_s8(table, offsets));
    }
    if (i < count) {
        const mve_pred16_t lanes = vctp8q((uint32_t)(count - i));
        const uint8x16_t offsets = veorq_u8(vldrbq_z_u8((const uint8_t *)input + i, lanes), sign);
        vstrbq_p_s8(output + i, vldrbq_gather_offset_z_s8(table, offsets, lanes), lanes);
    }
}
