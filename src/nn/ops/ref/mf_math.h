#ifndef MF_MATH_H
#define MF_MATH_H

/* Portable float exp / erf / tanh: only IEEE + - * / and exact bit-pattern
 * scaling, evaluated in a fixed order, so float results are bit-identical on
 * every IEEE-754 target (x86 glibc and the Cortex-M55 newlib build differ in
 * the last ulps of their libm). Measured against libm in double by
 * tests/nn/test_math.c (max error stated there and in mf_math.c). Relies on
 * no fused multiply-add contraction: ISO C mode (CMAKE_C_EXTENSIONS OFF)
 * makes GCC compile with -ffp-contract=off. */
float mf_expf(float x);
float mf_erff(float x);
float mf_tanhf(float x);

#endif
