/* Digest of mf_expf / mf_erff / mf_tanhf over a sweep of float bit patterns
 * (every 4099th, both signs): built for the host and for the Cortex-M55
 * (QEMU mps3-an547) by scripts/test_m55_math.sh, which requires the two
 * printed digests to be equal, i.e. the same bits on x86 and the M55. */
#include "nn/ops/ref/mf_math.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/* FNV-1a over the result words */
static uint32_t mix(uint32_t h, uint32_t v)
{
    for (int k = 0; k < 4; k++) h = (h ^ ((v >> (8 * k)) & 0xffu)) * 16777619u;
    return h;
}

int main(void)
{
    uint32_t h[3] = {2166136261u, 2166136261u, 2166136261u};
    uint32_t count = 0;
    for (uint64_t b = 0; b < 0x80000000u; b += 4099) {
        for (uint32_t sign = 0; sign < 2; sign++) {
            float x;
            uint32_t u = (uint32_t)b | sign << 31;
            memcpy(&x, &u, sizeof x);
            h[0] = mix(h[0], bits(mf_expf(x)));
            h[1] = mix(h[1], bits(mf_erff(x)));
            h[2] = mix(h[2], bits(mf_tanhf(x)));
            count++;
        }
    }
    printf("mf_math digest over %lu inputs: exp %08lx erf %08lx tanh %08lx\n", (unsigned long)count,
           (unsigned long)h[0], (unsigned long)h[1], (unsigned long)h[2]);
    return 0;
}
