/* Dot product with eight running partial sums in a fixed order. Written so
 * that compilers vectorise it without -ffast-math (each lane keeps its own
 * sum, so no reassociation is needed) while every platform computes the
 * same float operations in the same order. */
#ifndef MCUFACE_NN_REF_DOT_H
#define MCUFACE_NN_REF_DOT_H
#include <stdint.h>

static inline float mf_dot_f32(const float *a, const float *b, int32_t n)
{
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
        s4 += a[i + 4] * b[i + 4];
        s5 += a[i + 5] * b[i + 5];
        s6 += a[i + 6] * b[i + 6];
        s7 += a[i + 7] * b[i + 7];
    }
    float acc = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    for (; i < n; i++) acc += a[i] * b[i];
    return acc;
}
#endif
