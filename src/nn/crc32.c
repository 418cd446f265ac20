#include "nn/records.h"
#include <stddef.h>

/* Bitwise CRC-32 (reflected, polynomial 0xEDB88320): a table would cost 1 KB
 * of RAM or flash, and the check runs once per model load. */
uint32_t mf_crc32_update(uint32_t crc, const uint8_t *data, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= data[i];
        for (int b = 0; b < 8; b++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}
