/* The x86-64 int8 twins (src/nn/ops/x86/) against the reference kernels,
 * byte for byte, on the random cases the Helium twins are tested on
 * (tests/support/s8_twin_cases.h), at every instruction-set level this CPU
 * can run (mf_x86_isa_set_limit forces each one), plus the vector
 * requantization on edge values. Skips (77) in builds without MF_USE_X86. */
#include "mf_test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(MF_USE_X86) && MF_USE_X86
#include "nn/ops/x86/mf_kernels_s8_x86.h"
#include "nn/ops/x86/requantize_x86.h"

#define ARENA __attribute__((aligned(64)))
#define MF_TWIN(name) name##_x86
#define MF_TWIN_CONV_SCRATCH_SIZE mf_conv_s8_x86_scratch_size
#define MF_TWIN_SCRATCH_BYTES (512 * 1024)
#include "support/s8_twin_cases.h"

static const int32_t g_edges[] = {0, 1, -1, 2, -2, 3, -3, INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1,
                                  1 << 30, -(1 << 30), 12345, -12345};

static void random_requant_lanes(int32_t *x, int32_t *m, int32_t *s, int lanes)
{
    const int n_edges = (int)(sizeof g_edges / sizeof g_edges[0]);
    for (int l = 0; l < lanes; l++) {
        const int pick = rnd(0, 3);
        x[l] = pick == 0 ? g_edges[rnd(0, n_edges - 1)] : pick == 1 ? rnd(-70000, 70000) : (int32_t)rnd32();
        m[l] = rnd(0, 5) == 0 ? g_edges[rnd(0, n_edges - 1)] : (int32_t)rnd32();
        s[l] = rnd(-31, 30);
    }
}

static MF_TARGET_AVX2 void requantize_avx2_lanes(const int32_t *x, const int32_t *m, const int32_t *s, int32_t *got)
{
    const __m256i r = mf_requantize_avx2(_mm256_loadu_si256((const __m256i *)(const void *)x),
                                         _mm256_loadu_si256((const __m256i *)(const void *)m),
                                         _mm256_loadu_si256((const __m256i *)(const void *)s));
    _mm256_storeu_si256((__m256i *)(void *)got, r);
}

static MF_TARGET_AVX512 void requantize_avx512_lanes(const int32_t *x, const int32_t *m, const int32_t *s,
                                                     int32_t *got)
{
    _mm512_storeu_si512(got, mf_requantize_avx512(_mm512_loadu_si512(x), _mm512_loadu_si512(m),
                                                  _mm512_loadu_si512(s)));
}

/* Every lane of the vector requantization equals mf_requantize. */
static void test_requantize_x86(mf_x86_isa isa)
{
    size_t bad = 0;
    const int lanes = isa == MF_X86_ISA_AVX512 ? 16 : 8;
    for (int i = 0; i < 40000; i++) {
        int32_t x[16], m[16], s[16], got[16];
        random_requant_lanes(x, m, s, lanes);
        if (isa == MF_X86_ISA_AVX512)
            requantize_avx512_lanes(x, m, s, got);
        else
            requantize_avx2_lanes(x, m, s, got);
        for (int l = 0; l < lanes; l++) {
            const int32_t want = mf_requantize(x[l], m[l], s[l]);
            if (got[l] != want && bad++ < 8)
                printf("  requantize %s: x %ld m %ld s %ld ref %ld twin %ld\n", mf_x86_isa_name(isa), (long)x[l],
                       (long)m[l], (long)s[l], (long)want, (long)got[l]);
        }
    }
    MF_CHECK_EQ_INT(bad, 0);
}

/* mf_conv_s8_x86_packed with the weights packed beforehand (as the planner
 * does) against the reference output already in g_out_ref. */
static void conv_prepacked(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in, int32_t k,
                           const mf_shape4 *out, const char *what, int index)
{
    const int32_t taps = k * k * (in->c / p->groups);
    const size_t bytes = mf_conv_s8_x86_packed_size(p->groups, taps, out->c);
    int32_t *pack = malloc(bytes + 4);
    MF_CHECK(pack != NULL && bytes > 0);
    if (!pack) return;
    const int packed = mf_conv_s8_x86_pack(p->groups, p->input_zero_point, taps, out->c, g_w, g_bias, pack);
    MF_CHECK_EQ_INT(packed, mf_x86_isa_active() >= MF_X86_ISA_AVX512);
    memset(g_out_twin, 0x5a, (size_t)out->h * out->w * out->c);
    mf_conv_s8_x86_packed(p, rq, in, g_in, k, k, g_w, g_bias, out, g_out_twin, g_scratch, pack);
    compare(what, index, (size_t)out->h * out->w * out->c);
    free(pack);
}

/* The hand-picked shapes of the real models (RetinaFace's stem, 1x1 convs
 * of 8..256 channels, EdgeFace's 7x7 stages) on top of the random ones. */
static void test_model_shapes(void)
{
    static const struct { int32_t h, w, c_in, k, stride, pad, c_out; } shapes[] = {
        {40, 56, 3, 3, 2, 1, 8}, {20, 28, 8, 1, 1, 0, 16}, {10, 14, 64, 1, 1, 0, 128}, {6, 7, 128, 1, 1, 0, 256},
        {7, 7, 168, 1, 1, 0, 200}, {14, 14, 32, 3, 1, 1, 32}, {9, 9, 5, 3, 2, 0, 65},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        mf_conv_s8_params p = {shapes[i].stride, shapes[i].stride, shapes[i].pad, shapes[i].pad, shapes[i].pad,
                               shapes[i].pad, 1, 1, 1, rnd(-128, 127), rnd(-128, 127), -128, 127};
        const mf_shape4 in = {1, shapes[i].h, shapes[i].w, shapes[i].c_in};
        const int32_t k = shapes[i].k;
        const mf_shape4 out = {1, out_size(in.h, 2 * p.pad_top, k, 1, p.stride_h),
                               out_size(in.w, 2 * p.pad_left, k, 1, p.stride_w), shapes[i].c_out};
        fill_s8(g_in, (size_t)in.h * in.w * in.c);
        fill_s8(g_w, (size_t)out.c * k * k * in.c);
        for (int32_t o = 0; o < out.c; o++) g_bias[o] = rnd(-(1 << 16), 1 << 16);
        random_requant(out.c, 5500.0 * __builtin_sqrt((double)(k * k * in.c)));
        const mf_channel_requant rq = {g_mult, g_shift};
        MF_CHECK(mf_conv_s8_x86_scratch_size(&p, &in, k, k, &out) <= MAX_SCRATCH);
        clear_outputs();
        mf_conv_s8(&p, &rq, &in, g_in, k, k, g_w, g_bias, &out, g_out_ref, NULL);
        mf_conv_s8_x86(&p, &rq, &in, g_in, k, k, g_w, g_bias, &out, g_out_twin, g_scratch);
        compare("conv (model shape)", (int)i, (size_t)out.h * out.w * out.c);
        conv_prepacked(&p, &rq, &in, k, &out, "conv (model shape, packed at plan time)", (int)i);
    }
    /* grouped: each group's weights packed after the previous one's */
    mf_conv_s8_params p = {1, 1, 1, 1, 1, 1, 1, 1, 4, rnd(-128, 127), rnd(-128, 127), -100, 120};
    const mf_shape4 in = {1, 9, 11, 32}, out = {1, 9, 11, 48};
    fill_s8(g_in, (size_t)in.h * in.w * in.c);
    fill_s8(g_w, (size_t)out.c * 3 * 3 * (in.c / 4));
    for (int32_t o = 0; o < out.c; o++) g_bias[o] = rnd(-(1 << 16), 1 << 16);
    random_requant(out.c, 5500.0 * __builtin_sqrt(3.0 * 3.0 * 8.0));
    const mf_channel_requant rq = {g_mult, g_shift};
    clear_outputs();
    mf_conv_s8(&p, &rq, &in, g_in, 3, 3, g_w, g_bias, &out, g_out_ref, NULL);
    conv_prepacked(&p, &rq, &in, 3, &out, "grouped conv, packed at plan time", 0);
}

int main(void)
{
    const mf_x86_isa best = mf_x86_isa_detected();
    printf("x86 ISA detected: %s\n", mf_x86_isa_name(best));
    if (best == MF_X86_ISA_SCALAR) mf_test_skip("this CPU has no AVX2: only the reference kernels run");
    for (int level = MF_X86_ISA_AVX2; level <= (int)best; level++) {
        const mf_x86_isa isa = mf_x86_isa_set_limit((mf_x86_isa)level);
        MF_CHECK_EQ_INT(isa, level);
        const int failed_before = g_failed;
        test_requantize_x86(isa);
        test_model_shapes();
        for (int i = 0; i < 1500; i++) test_conv(i);
        for (int i = 0; i < 1500; i++) test_depthwise(i);
        for (int i = 0; i < 1000; i++) test_fully_connected(i);
        for (int i = 0; i < 600; i++) test_binary(i);
        for (int i = 0; i < 600; i++) test_lookup(i);
        for (int i = 0; i < 1000; i++) test_prelu(i);
        for (int i = 0; i < 1000; i++) test_quantize(i);
        for (int i = 0; i < 600; i++) test_dequantize(i);
        printf("%s: %d cases passed so far, %d failed at this level\n", mf_x86_isa_name(isa), g_passed,
               g_failed - failed_before);
    }
    MF_CHECK_EQ_INT(g_failed, 0);
    return mf_test_summary();
}
#else
int main(void)
{
    mf_test_skip("built without MF_USE_X86 (the MF_X86_SIMD option): no x86 twins to test");
    return mf_test_summary();
}
#endif
