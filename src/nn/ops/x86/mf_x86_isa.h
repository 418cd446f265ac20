/* Which x86-64 vector instruction set the int8 twins (src/nn/ops/x86/) use.
 * Chosen once at run time from CPUID (and the OS's saved vector state, as
 * __builtin_cpu_supports reports it), capped by the environment variable
 * MCUFACE_X86_ISA=scalar|avx2|avx512 or by mf_x86_isa_set_limit (tests force
 * every level the machine can run). Every level gives the same bytes: the
 * twins are bit-exact with the reference kernels, so the choice changes the
 * speed only. Host builds only (MF_USE_X86=1); the M55 never compiles this. */
#ifndef MCUFACE_NN_X86_ISA_H
#define MCUFACE_NN_X86_ISA_H

typedef enum mf_x86_isa {
    MF_X86_ISA_SCALAR = 0, /* the reference kernels */
    MF_X86_ISA_AVX2 = 1,   /* AVX2: 16-bit products summed in 32 bits (vpmaddwd) */
    MF_X86_ISA_AVX512 = 2, /* AVX-512 F/BW/VL/DQ + VNNI (vpdpbusd) */
} mf_x86_isa;

/* The best level this CPU and OS can run. */
mf_x86_isa mf_x86_isa_detected(void);

/* The level the twins use now: the detected one, capped by MCUFACE_X86_ISA
 * (read on the first call) and by mf_x86_isa_set_limit. */
mf_x86_isa mf_x86_isa_active(void);

/* Caps the level at LIMIT (never above the detected one) and returns the
 * level now active. Not thread-safe: call it before inference starts. */
mf_x86_isa mf_x86_isa_set_limit(mf_x86_isa limit);

/* 1 when this CPU has AVX-512 VBMI (byte permutes: the table twin), an
 * extra within the AVX-512 level; 0 otherwise. */
int mf_x86_has_vbmi(void);

/* "scalar", "avx2" or "avx512". */
const char *mf_x86_isa_name(mf_x86_isa isa);

/* Function attributes that let one translation unit hold code for every
 * level while the rest of the build stays baseline x86-64. */
#define MF_TARGET_AVX2 __attribute__((target("avx2,fma,bmi,bmi2,popcnt")))
#define MF_TARGET_AVX512 \
    __attribute__((target("avx2,fma,bmi,bmi2,popcnt,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")))
#endif
