/* CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320; the same value as
 * zlib's crc32): the model file checksum and the store's record checks. */
#ifndef MCUFACE_CRC32_H
#define MCUFACE_CRC32_H
#include <stddef.h>
#include <stdint.h>

/* Continues CRC (0 to start) over N bytes of DATA. */
uint32_t mf_crc32(uint32_t crc, const uint8_t *data, size_t n);
#endif
