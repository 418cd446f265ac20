#include "nn/ops/x86/mf_x86_isa.h"
#include <stdlib.h>
#include <string.h>

static mf_x86_isa detect(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx2"))
        return MF_X86_ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2"))
        return MF_X86_ISA_AVX2;
    return MF_X86_ISA_SCALAR;
}

/* -1 until the first call; the init is idempotent, so a race between two
 * first calls writes the same value. */
static int g_detected = -1;
static int g_vbmi = -1;

int mf_x86_has_vbmi(void)
{
    if (g_vbmi < 0) {
        __builtin_cpu_init();
        g_vbmi = __builtin_cpu_supports("avx512vbmi") ? 1 : 0;
    }
    return g_vbmi;
}
static int g_active = -1;

mf_x86_isa mf_x86_isa_detected(void)
{
    if (g_detected < 0) g_detected = (int)detect();
    return (mf_x86_isa)g_detected;
}

static mf_x86_isa env_limit(void)
{
    const char *v = getenv("MCUFACE_X86_ISA");
    if (!v || !*v) return MF_X86_ISA_AVX512;
    if (strcmp(v, "scalar") == 0) return MF_X86_ISA_SCALAR;
    if (strcmp(v, "avx2") == 0) return MF_X86_ISA_AVX2;
    return MF_X86_ISA_AVX512;
}

mf_x86_isa mf_x86_isa_active(void)
{
    if (g_active < 0) {
        mf_x86_isa d = mf_x86_isa_detected(), e = env_limit();
        g_active = (int)(e < d ? e : d);
    }
    return (mf_x86_isa)g_active;
}

mf_x86_isa mf_x86_isa_set_limit(mf_x86_isa limit)
{
    mf_x86_isa d = mf_x86_isa_detected();
    g_active = (int)(limit < d ? limit : d);
    return (mf_x86_isa)g_active;
}

const char *mf_x86_isa_name(mf_x86_isa isa)
{
    return isa == MF_X86_ISA_AVX512 ? "avx512" : isa == MF_X86_ISA_AVX2 ? "avx2" : "scalar";
}
