/* GF(2^128) multiply for GHASH, written from SP 800-38D Algorithm 1. Bit by
 * bit with masks: slow (128 steps per block) but constant-time and table-free. */
#include "ghash.h"

mf_gf128 mf_gf128_load(const uint8_t b[16])
{
    mf_gf128 x = {0, 0};
    for (int i = 0; i < 8; i++) {
        x.hi = (x.hi << 8) | b[i];
        x.lo = (x.lo << 8) | b[8 + i];
    }
    return x;
}

void mf_gf128_store(mf_gf128 x, uint8_t b[16])
{
    for (int i = 0; i < 8; i++) {
        b[i] = (uint8_t)(x.hi >> (56 - 8 * i));
        b[8 + i] = (uint8_t)(x.lo >> (56 - 8 * i));
    }
}

mf_gf128 mf_gf128_mul(mf_gf128 x, mf_gf128 h)
{
    /* R = 11100001 || 0^120: the reduction by x^128 + x^7 + x^2 + x + 1 in
     * GCM's reflected bit order. */
    const uint64_t r_hi = 0xE100000000000000ull;
    mf_gf128 z = {0, 0}, v = h;
    for (int i = 0; i < 128; i++) {
        uint64_t bit = (i < 64 ? x.hi >> (63 - i) : x.lo >> (127 - i)) & 1u;
        uint64_t take = (uint64_t)0 - bit;          /* all ones when bit i of X is set */
        z.hi ^= v.hi & take;
        z.lo ^= v.lo & take;
        uint64_t carry = (uint64_t)0 - (v.lo & 1u); /* the rightmost bit leaves: reduce */
        v.lo = (v.lo >> 1) | (v.hi << 63);
        v.hi = (v.hi >> 1) ^ (r_hi & carry);
    }
    return z;
}
