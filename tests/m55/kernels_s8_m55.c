/* Cortex-M55 (QEMU mps3-an547) test of the Helium int8 kernels: every `_mve`
 * twin against its reference kernel on random shapes that exercise channel
 * tails (counts not a multiple of 16 or 4), padding, strides, dilation,
 * groups, clamps and extreme requantization parameters (and activation
 * tables over lengths with tails, in place), compared byte for
 * byte (plus a guard band past the output, which neither may write). Prints
 * the differing indices, then `kernels_s8_m55: N passed, M failed`; exits 1
 * on any mismatch (QEMU's exit status through semihosting).
 * Built with -DMF_KERNELS_BENCH=1 it instead runs one representative call
 * per kernel between marker functions for bench/m55_kernels_s8.sh. */
#include "nn/ops/mf_kernels_s8.h"
#include "nn/ops/mve/mf_kernels_s8_mve.h"
#include "nn/ops/mve/mf_mve_s8.h"
#include "nn/ops/ref/requantize.h"
#include <stdio.h>
#include <string.h>

#define ARENA __attribute__((section(".arena"), aligned(16)))
#define MF_TWIN(name) name##_mve
#define MF_TWIN_CONV_SCRATCH_SIZE mf_conv_s8_mve_scratch_size
#include "support/s8_twin_cases.h"

#ifndef MF_KERNELS_BENCH
static void test_requantize(void)
{
    static const int32_t edges[] = {0, 1, -1, 2, -2, 3, -3, INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1,
                                    1 << 30, -(1 << 30), 12345, -12345};
    const int n_edges = (int)(sizeof edges / sizeof edges[0]);
    size_t bad = 0, total = 0;
    for (int i = 0; i < 20000; i++) {
        int32_t x[4], m[4], s[4], got[4];
        for (int l = 0; l < 4; l++) {
            const int pick = rnd(0, 3);
            x[l] = pick == 0 ? edges[rnd(0, n_edges - 1)] : pick == 1 ? rnd(-70000, 70000) : (int32_t)rnd32();
            m[l] = rnd(0, 5) == 0 ? edges[rnd(0, n_edges - 1)] : (int32_t)rnd32();
            s[l] = rnd(-31, 30);
        }
        vst1q_s32(got, mf_mve_requantize(vld1q_s32(x), vld1q_s32(m), vld1q_s32(s)));
        for (int l = 0; l < 4; l++, total++) {
            const int32_t want = mf_requantize(x[l], m[l], s[l]);
            if (got[l] != want) {
                if (bad < 8)
                    printf("  requantize: x %ld m %ld s %ld ref %ld mve %ld\n", (long)x[l], (long)m[l], (long)s[l],
                           (long)want, (long)got[l]);
                bad++;
            }
        }
    }
    if (bad) {
        printf("FAIL requantize: %u of %u differ\n", (unsigned)bad, (unsigned)total);
        g_failed++;
    } else {
        g_passed++;
    }
}

int main(void)
{
    test_requantize();
    for (int i = 0; i < 300; i++) test_conv(i);
    for (int i = 0; i < 600; i++) test_depthwise(i);
    for (int i = 0; i < 300; i++) test_fully_connected(i);
    for (int i = 0; i < 300; i++) test_binary(i);
    for (int i = 0; i < 300; i++) test_lookup(i);
    for (int i = 0; i < 500; i++) test_prelu(i);
    for (int i = 0; i < 500; i++) test_quantize(i);
    for (int i = 0; i < 300; i++) test_dequantize(i);
    printf("kernels_s8_m55: %d passed, %d failed\n", g_passed, g_failed);
    return g_failed ? 1 : 0;
}
#else
/* Marker functions: bench/m55_kernels_s8.sh counts instructions from each
 * one's entry to the next marker. Distinct bodies so they are not merged. */
static volatile int g_mark;
#define MARK(name, value) \
    __attribute__((noinline, used)) void bench_mark_##name(void) { g_mark = value; }
MARK(conv1x1_ref, 1)
MARK(conv1x1_mve, 2)
MARK(depthwise3x3_ref, 3)
MARK(depthwise3x3_mve, 4)
MARK(fully_connected_ref, 5)
MARK(fully_connected_mve, 6)
MARK(add_ref, 7)
MARK(add_mve, 8)
MARK(other, 9)
MARK(lookup_ref, 10)
MARK(lookup_mve, 11)
MARK(prelu_ref, 12)
MARK(prelu_mve, 13)

static void check(const char *what, size_t n)
{
    if (memcmp(g_out_ref, g_out_twin, n)) {
        printf("FAIL %s: ref and mve differ\n", what);
        g_failed++;
    }
}

int main(void)
{
    const int32_t zp_in = -3, zp_out = 5;
    fill_s8(g_in, MAX_IN);
    fill_s8(g_in2, MAX_IN);
    fill_s8(g_w, MAX_W);
    for (int32_t o = 0; o < MAX_C; o++) g_bias[o] = rnd(-(1 << 14), 1 << 14);
    const mf_channel_requant rq = {g_mult, g_shift};

    /* 1x1 conv 28x28x64 -> 128 */
    mf_conv_s8_params p = {1, 1, 0, 0, 0, 0, 1, 1, 1, zp_in, zp_out, -128, 127};
    mf_shape4 in = {1, 28, 28, 64}, out = {1, 28, 28, 128};
    random_requant(128, 5500.0 * 8.0);
    bench_mark_conv1x1_ref();
    mf_conv_s8(&p, &rq, &in, g_in, 1, 1, g_w, g_bias, &out, g_out_ref, NULL);
    bench_mark_conv1x1_mve();
    mf_conv_s8_mve(&p, &rq, &in, g_in, 1, 1, g_w, g_bias, &out, g_out_twin, g_scratch);
    bench_mark_other();
    check("conv1x1", 28 * 28 * 128);
    printf("bench conv1x1 28x28x64->128 macs %d\n", 28 * 28 * 64 * 128);

    /* depthwise 3x3 28x28x128, stride 1, pad 1 */
    p = (mf_conv_s8_params){1, 1, 1, 1, 1, 1, 1, 1, 128, zp_in, zp_out, -128, 127};
    in = (mf_shape4){1, 28, 28, 128};
    out = in;
    random_requant(128, 5500.0 * 3.0);
    bench_mark_depthwise3x3_ref();
    mf_depthwise_conv_s8(&p, &rq, &in, g_in, 3, 3, g_w, g_bias, &out, g_out_ref);
    bench_mark_depthwise3x3_mve();
    mf_depthwise_conv_s8_mve(&p, &rq, &in, g_in, 3, 3, g_w, g_bias, &out, g_out_twin);
    bench_mark_other();
    check("depthwise3x3", 28 * 28 * 128);
    /* taps inside the image: 26x26 interior pixels see 9, edges fewer */
    printf("bench depthwise3x3 28x28x128 macs %d\n", (26 * 26 * 9 + 4 * 26 * 6 + 4 * 4) * 128);

    /* fully connected 512 -> 128, one row (an embedding head) */
    mf_fc_s8_params fp = {zp_in, zp_out, -128, 127};
    random_requant(128, 5500.0 * 22.6);
    bench_mark_fully_connected_ref();
    mf_fully_connected_s8(&fp, &rq, g_in, 1, 512, g_w, g_bias, 128, g_out_ref);
    bench_mark_fully_connected_mve();
    mf_fully_connected_s8_mve(&fp, &rq, g_in, 1, 512, g_w, g_bias, 128, g_out_twin);
    bench_mark_other();
    check("fully_connected", 128);
    printf("bench fully_connected 512->128 macs %d\n", 512 * 128);

    /* add 28x28x128 (a residual) */
    mf_binary_s8_params bp;
    mf_binary_s8_params_init(MF_BINARY_ADD, 0.02, -3, 0.03, 7, 0.04, 1, -128, 127, &bp);
    out = (mf_shape4){1, 28, 28, 128};
    bench_mark_add_ref();
    mf_binary_s8(MF_BINARY_ADD, &bp, &out, g_in, &out, g_in2, &out, g_out_ref);
    bench_mark_add_mve();
    mf_binary_s8_mve(MF_BINARY_ADD, &bp, &out, g_in, &out, g_in2, &out, g_out_twin);
    bench_mark_other();
    check("add", 28 * 28 * 128);
    printf("bench add 28x28x128 elements %d\n", 28 * 28 * 128);

    /* activation table over 28x28x128 */
    static int8_t table[256];
    fill_s8(table, sizeof table);
    bench_mark_lookup_ref();
    mf_lookup_s8(g_in, 28 * 28 * 128, table, g_out_ref);
    bench_mark_lookup_mve();
    mf_lookup_s8_mve(g_in, 28 * 28 * 128, table, g_out_twin);
    bench_mark_other();
    check("lookup", 28 * 28 * 128);
    printf("bench lookup 28x28x128 elements %d\n", 28 * 28 * 128);

    /* PReLU over 28x28x128, slopes of both signs per channel */
    mf_prelu_s8_params pp = {-5, 3, 0, 0, g_mult, g_shift};
    mf_quantize_multiplier(0.8, &pp.positive_multiplier, &pp.positive_shift);
    for (int32_t c = 0; c < 128; c++) {
        mf_quantize_multiplier((double)rnd(1, 64) / 64.0, &g_mult[c], &g_shift[c]);
        if (c & 1) g_mult[c] = -g_mult[c];
    }
    bench_mark_prelu_ref();
    mf_prelu_s8(&pp, g_in, 28 * 28 * 128, 128, g_out_ref);
    bench_mark_prelu_mve();
    mf_prelu_s8_mve(&pp, g_in, 28 * 28 * 128, 128, g_out_twin);
    bench_mark_other();
    check("prelu", 28 * 28 * 128);
    printf("bench prelu 28x28x128 elements %d\n", 28 * 28 * 128);
    printf("done\n");
    return g_failed ? 1 : 0;
}
#endif
