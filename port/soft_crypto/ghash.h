/* GHASH multiplication in GF(2^128) (NIST SP 800-38D 6.3). A block is two
 * big-endian 64-bit halves: HI holds bytes 0..7, so the spec's bit 0 (the
 * leftmost) is the top bit of HI. */
#ifndef MCUFACE_SOFT_GHASH_H
#define MCUFACE_SOFT_GHASH_H
#include <stdint.h>

typedef struct mf_gf128 {
    uint64_t hi, lo;
} mf_gf128;

mf_gf128 mf_gf128_load(const uint8_t b[16]);
void mf_gf128_store(mf_gf128 x, uint8_t b[16]);

/* X * H in GCM's field (Algorithm 1), with no branch or index on secret bits. */
mf_gf128 mf_gf128_mul(mf_gf128 x, mf_gf128 h);
#endif
