/* The random cases every int8 twin (Helium: tests/m55/kernels_s8_m55.c;
 * x86-64: tests/kernels/test_kernels_s8_x86.c) is compared against its
 * reference kernel on, byte for byte plus a guard band past the output:
 * shapes with channel tails (counts not a multiple of 16, 8 or 4), padding,
 * strides, dilation, groups, clamps and extreme requantization parameters,
 * activation tables over lengths with tails, in place. The includer defines
 * MF_TWIN(name) (the twin of reference kernel NAME), MF_TWIN_CONV_SCRATCH_SIZE
 * (the twin convolution's scratch size function) and ARENA (where the
 * buffers live), and may set MF_TWIN_SCRATCH_BYTES (the conv scratch).
 * Defining MF_KERNELS_BENCH keeps the buffers and generators only. */
#ifndef MCUFACE_TESTS_S8_TWIN_CASES_H
#define MCUFACE_TESTS_S8_TWIN_CASES_H
#include "nn/ops/mf_kernels_s8.h"
#include "nn/ops/ref/requantize.h"
#include <stdio.h>
#include <string.h>

#ifndef MF_TWIN_SCRATCH_BYTES
#define MF_TWIN_SCRATCH_BYTES (16 * 1024)
#endif
#define GUARD 64
enum { MAX_IN = 112 * 1024, MAX_OUT = 112 * 1024, MAX_W = 72 * 1024, MAX_C = 1024, MAX_SCRATCH = MF_TWIN_SCRATCH_BYTES };
static int8_t g_in[MAX_IN] ARENA, g_in2[MAX_IN] ARENA, g_w[MAX_W] ARENA;
static int8_t g_out_ref[MAX_OUT + GUARD] ARENA, g_out_twin[MAX_OUT + GUARD] ARENA;
static uint8_t g_scratch[MAX_SCRATCH] ARENA;
static int32_t g_bias[MAX_C], g_mult[MAX_C], g_shift[MAX_C];

static uint32_t g_rng = 0x12345678u;
static uint32_t rnd32(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 17;
    g_rng ^= g_rng << 5;
    return g_rng;
}
/* Uniform in [lo, hi]. */
static int32_t rnd(int32_t lo, int32_t hi) { return lo + (int32_t)(rnd32() % (uint32_t)(hi - lo + 1)); }
static void fill_s8(int8_t *x, size_t n)
{
    for (size_t i = 0; i < n; i++) x[i] = (int8_t)rnd32();
}

static int g_failed;

/* Per-channel requantization for accumulators of about `acc_rms`: mostly
 * realistic multipliers (outputs spread over the int8 range), sometimes raw
 * random multipliers and shifts to hit saturation and every rounding path. */
static void random_requant(int32_t channels, double acc_rms)
{
    const int raw = rnd(0, 7) == 0;
    for (int32_t o = 0; o < channels; o++) {
        if (raw) {
            g_mult[o] = (int32_t)rnd32();
            g_shift[o] = rnd(-31, 30);
        } else {
            const double factor = (double)rnd(1, 64) / 16.0; /* 1/16 .. 4 */
            mf_quantize_multiplier(factor * 50.0 / (acc_rms + 1.0), &g_mult[o], &g_shift[o]);
        }
    }
}

#ifndef MF_KERNELS_BENCH
static int g_passed;

/* Compares n bytes plus the guard band; prints up to 8 differing indices. */
static void compare(const char *what, int case_index, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n + GUARD; i++)
        if (g_out_ref[i] != g_out_twin[i]) {
            if (bad < 8)
                printf("  %s case %d: index %u%s ref %d twin %d\n", what, case_index, (unsigned)i,
                       i >= n ? " (guard)" : "", g_out_ref[i], g_out_twin[i]);
            bad++;
        }
    if (bad) {
        printf("FAIL %s case %d: %u of %u bytes differ\n", what, case_index, (unsigned)bad, (unsigned)n);
        g_failed++;
    } else {
        g_passed++;
    }
}

static void clear_outputs(void)
{
    memset(g_out_ref, 0x5a, sizeof g_out_ref);
    memset(g_out_twin, 0x5a, sizeof g_out_twin);
}

static void random_clamp(int32_t *lo, int32_t *hi)
{
    *lo = -128;
    *hi = 127;
    if (rnd(0, 3) == 0) {
        *lo = rnd(-128, 127);
        *hi = rnd(*lo, 127);
    }
}

static int32_t out_size(int32_t in, int32_t pad, int32_t k, int32_t dilation, int32_t stride)
{
    const int32_t span = in + pad - dilation * (k - 1) - 1;
    return span < 0 ? 0 : span / stride + 1;
}

static void test_conv(int case_index)
{
    mf_conv_s8_params p = {0};
    mf_shape4 in, out;
    int32_t kh, kw;
    for (;;) {
        p.groups = rnd(0, 4) == 0 ? rnd(2, 3) : 1;
        const int32_t in_pg = rnd(0, 2) == 0 ? rnd(1, 8) : rnd(1, 80);
        const int32_t out_pg = rnd(1, 37);
        const int pointwise = rnd(0, 1);
        kh = pointwise ? 1 : rnd(1, 3);
        kw = pointwise ? 1 : rnd(1, 3);
        p.stride_h = rnd(1, 2);
        p.stride_w = rnd(1, 2);
        p.dilation_h = rnd(0, 3) == 0 ? 2 : 1;
        p.dilation_w = rnd(0, 3) == 0 ? 2 : 1;
        const int padded = rnd(0, 1) || pointwise == 0;
        p.pad_top = padded ? rnd(0, 2) : 0;
        p.pad_left = padded ? rnd(0, 2) : 0;
        p.pad_bottom = padded ? rnd(0, 2) : 0;
        p.pad_right = padded ? rnd(0, 2) : 0;
        in = (mf_shape4){rnd(1, 2), rnd(1, 9), rnd(1, 9), in_pg * p.groups};
        out = (mf_shape4){in.n, out_size(in.h, p.pad_top + p.pad_bottom, kh, p.dilation_h, p.stride_h),
                          out_size(in.w, p.pad_left + p.pad_right, kw, p.dilation_w, p.stride_w), out_pg * p.groups};
        if (out.h > 0 && out.w > 0 && (size_t)in.n * in.h * in.w * in.c <= MAX_IN &&
            (size_t)out.n * out.h * out.w * out.c <= MAX_OUT && (size_t)out.c * kh * kw * in_pg <= MAX_W &&
            MF_TWIN_CONV_SCRATCH_SIZE(&p, &in, kh, kw, &out) <= MAX_SCRATCH)
            break;
    }
    p.input_zero_point = rnd(-128, 127);
    p.output_zero_point = rnd(-128, 127);
    random_clamp(&p.act_min, &p.act_max);
    const int32_t k = kh * kw * (in.c / p.groups);
    fill_s8(g_in, (size_t)in.n * in.h * in.w * in.c);
    fill_s8(g_w, (size_t)out.c * k);
    for (int32_t o = 0; o < out.c; o++) g_bias[o] = rnd(-(1 << 16), 1 << 16);
    random_requant(out.c, 5500.0 * __builtin_sqrt((double)k));
    const mf_channel_requant rq = {g_mult, g_shift};
    const int32_t *bias = rnd(0, 5) == 0 ? NULL : g_bias;
    clear_outputs();
    mf_conv_s8(&p, &rq, &in, g_in, kh, kw, g_w, bias, &out, g_out_ref, NULL);
    MF_TWIN(mf_conv_s8)(&p, &rq, &in, g_in, kh, kw, g_w, bias, &out, g_out_twin, g_scratch);
    const size_t n = (size_t)out.n * out.h * out.w * out.c;
    compare("conv", case_index, n);
    if (g_out_ref[0] != g_out_twin[0] || memcmp(g_out_ref, g_out_twin, n + GUARD))
        printf("  conv case %d: in %ldx%ldx%ldx%ld k %ldx%ld out c %ld groups %ld stride %ld,%ld dil %ld,%ld "
               "pad %ld,%ld,%ld,%ld\n",
               case_index, (long)in.n, (long)in.h, (long)in.w, (long)in.c, (long)kh, (long)kw, (long)out.c,
               (long)p.groups, (long)p.stride_h, (long)p.stride_w, (long)p.dilation_h, (long)p.dilation_w,
               (long)p.pad_top, (long)p.pad_left, (long)p.pad_bottom, (long)p.pad_right);
}

static void test_depthwise(int case_index)
{
    mf_conv_s8_params p = {0};
    mf_shape4 in, out;
    int32_t kh, kw;
    for (;;) {
        const int32_t multiplier = rnd(0, 5) == 0 ? 2 : 1;
        static const int32_t large[] = {5, 7, 9}; /* EdgeNeXt's depthwise sizes */
        kh = rnd(0, 1) ? 3 : rnd(0, 1) ? large[rnd(0, 2)] : rnd(1, 5);
        kw = rnd(0, 1) ? kh : rnd(0, 3) == 0 ? large[rnd(0, 2)] : rnd(1, 5);
        p.stride_h = rnd(1, 2);
        p.stride_w = rnd(1, 2);
        p.dilation_h = rnd(0, 4) == 0 ? 2 : 1;
        p.dilation_w = rnd(0, 4) == 0 ? 2 : 1;
        p.pad_top = rnd(0, 2);
        p.pad_left = rnd(0, 2);
        p.pad_bottom = rnd(0, 2);
        p.pad_right = rnd(0, 2);
        const int32_t side = kh > 5 || kw > 5 ? 24 : 10; /* room for windows inside the image */
        in = (mf_shape4){rnd(1, 2), rnd(1, side), rnd(1, side), rnd(1, 70)};
        out = (mf_shape4){in.n, out_size(in.h, p.pad_top + p.pad_bottom, kh, p.dilation_h, p.stride_h),
                          out_size(in.w, p.pad_left + p.pad_right, kw, p.dilation_w, p.stride_w), in.c * multiplier};
        if (out.h > 0 && out.w > 0) break;
    }
    p.groups = in.c;
    p.input_zero_point = rnd(-128, 127);
    p.output_zero_point = rnd(-128, 127);
    random_clamp(&p.act_min, &p.act_max);
    fill_s8(g_in, (size_t)in.n * in.h * in.w * in.c);
    fill_s8(g_w, (size_t)kh * kw * out.c);
    for (int32_t o = 0; o < out.c; o++) g_bias[o] = rnd(-(1 << 16), 1 << 16);
    random_requant(out.c, 5500.0 * __builtin_sqrt((double)(kh * kw)));
    const mf_channel_requant rq = {g_mult, g_shift};
    const int32_t *bias = rnd(0, 5) == 0 ? NULL : g_bias;
    clear_outputs();
    mf_depthwise_conv_s8(&p, &rq, &in, g_in, kh, kw, g_w, bias, &out, g_out_ref);
    MF_TWIN(mf_depthwise_conv_s8)(&p, &rq, &in, g_in, kh, kw, g_w, bias, &out, g_out_twin);
    compare("depthwise", case_index, (size_t)out.n * out.h * out.w * out.c);
}

static void test_fully_connected(int case_index)
{
    const int32_t rows = rnd(1, 4), in_f = rnd(0, 3) == 0 ? rnd(1, 20) : rnd(1, 600), out_f = rnd(1, 70);
    mf_fc_s8_params p = {rnd(-128, 127), rnd(-128, 127), -128, 127};
    random_clamp(&p.act_min, &p.act_max);
    fill_s8(g_in, (size_t)rows * in_f);
    fill_s8(g_w, (size_t)out_f * in_f);
    for (int32_t o = 0; o < out_f; o++) g_bias[o] = rnd(-(1 << 16), 1 << 16);
    random_requant(out_f, 5500.0 * __builtin_sqrt((double)in_f));
    const mf_channel_requant rq = {g_mult, g_shift};
    const int32_t *bias = rnd(0, 5) == 0 ? NULL : g_bias;
    clear_outputs();
    mf_fully_connected_s8(&p, &rq, g_in, rows, in_f, g_w, bias, out_f, g_out_ref);
    MF_TWIN(mf_fully_connected_s8)(&p, &rq, g_in, rows, in_f, g_w, bias, out_f, g_out_twin);
    compare("fully_connected", case_index, (size_t)rows * out_f);
}

static void test_binary(int case_index)
{
    static const mf_binary kinds[3] = {MF_BINARY_ADD, MF_BINARY_SUB, MF_BINARY_MUL};
    const mf_binary kind = kinds[rnd(0, 2)];
    const mf_shape4 out = {rnd(1, 2), rnd(1, 7), rnd(1, 7), rnd(1, 40)};
    mf_shape4 as = out, bs = out;
    if (rnd(0, 4) == 0) { /* broadcasting: the reference path inside the twin */
        bs.h = 1;
        bs.w = 1;
    }
    mf_binary_s8_params p;
    int32_t lo, hi;
    random_clamp(&lo, &hi);
    mf_binary_s8_params_init(kind, rnd(1, 400) / 4000.0, rnd(-128, 127), rnd(1, 400) / 4000.0, rnd(-128, 127),
                             rnd(1, 400) / 4000.0, rnd(-128, 127), lo, hi, &p);
    if (rnd(0, 7) == 0) { /* raw multipliers: saturation and rounding edges */
        p.a_multiplier = (int32_t)rnd32();
        p.b_multiplier = (int32_t)rnd32();
        p.output_multiplier = (int32_t)rnd32();
        p.a_shift = rnd(-31, 10);
        p.b_shift = rnd(-31, 10);
        p.output_shift = rnd(-31, 30);
    }
    fill_s8(g_in, (size_t)as.n * as.h * as.w * as.c);
    fill_s8(g_in2, (size_t)bs.n * bs.h * bs.w * bs.c);
    clear_outputs();
    mf_binary_s8(kind, &p, &as, g_in, &bs, g_in2, &out, g_out_ref);
    MF_TWIN(mf_binary_s8)(kind, &p, &as, g_in, &bs, g_in2, &out, g_out_twin);
    compare(kind == MF_BINARY_MUL ? "mul" : kind == MF_BINARY_SUB ? "sub" : "add", case_index,
            (size_t)out.n * out.h * out.w * out.c);
}

/* Random tables over random lengths (tails of 1..15 bytes, unaligned
 * starts), out of place and in place. */
static void test_lookup(int case_index)
{
    static int8_t table[256];
    fill_s8(table, sizeof table);
    const size_t count = rnd(0, 3) == 0 ? (size_t)rnd(0, 40) : (size_t)rnd(0, 5000);
    const size_t skew = (size_t)rnd(0, 15);
    fill_s8(g_in, count + skew);
    clear_outputs();
    mf_lookup_s8(g_in + skew, count, table, g_out_ref);
    if (rnd(0, 1)) {
        MF_TWIN(mf_lookup_s8)(g_in + skew, count, table, g_out_twin);
    } else { /* in place, as the executor runs activations */
        memcpy(g_out_twin, g_in + skew, count);
        MF_TWIN(mf_lookup_s8)(g_out_twin, count, table, g_out_twin);
    }
    compare("lookup", case_index, count);
}

/* Float -> int8 over random lengths (tails of 1..3, unaligned starts, in
 * place): a realistic or extreme scale (outside the twin's [2^-60, 2^60]
 * too), zero points in and out of int8, values at exact ties (k + 0.5) *
 * scale and a few ulps either side, random values, saturating ones and
 * specials (NaN, infinities, subnormals, -0). */
static float g_f[MAX_IN / 4] ARENA;
static float rnd_float(float scale)
{
    union { uint32_t u; float f; } b;
    switch (rnd(0, 9)) {
    case 0: b.u = rnd32(); return b.f; /* any bit pattern: NaNs, subnormals, huge */
    case 1: {
        static const uint32_t special[] = {0x7fc00000u, 0xffc00000u, 0x7f800000u, 0xff800000u, 0x00000001u,
                                           0x807fffffu, 0x80000000u, 0x7f7fffffu, 0x7fa00000u};
        b.u = special[rnd(0, 8)];
        return b.f;
    }
    case 2: case 3: case 4: { /* at or next to a tie */
        b.f = ((float)rnd(-300, 300) + 0.5f) * scale;
        b.u += (uint32_t)rnd(-3, 3);
        return b.f;
    }
    case 5: return (float)rnd(-1100, 1100) * scale * (float)rnd(1, 1000) / 1000.0f;
    default: return (float)(int32_t)rnd32() / 2147483648.0f * 200.0f * scale;
    }
}

static void test_quantize(int case_index)
{
    float scale;
    switch (rnd(0, 7)) {
    case 0: { static const float odd[] = {0x1p-61f, 0x1p-60f, 0x1p60f, 0x1p61f, 1e-38f, 1e38f, 3e-45f, 0.0f};
              scale = odd[rnd(0, 7)]; break; }
    case 1: scale = (float)rnd(1, 100000) / 7.0f; break;
    default: scale = (float)rnd(1, 10000) / 65536.0f; break;
    }
    const int32_t zp = rnd(0, 9) == 0 ? rnd(-400, 400) : rnd(-128, 127);
    const size_t count = rnd(0, 3) == 0 ? (size_t)rnd(0, 40) : (size_t)rnd(0, 5000);
    const size_t skew = (size_t)rnd(0, 3);
    for (size_t i = 0; i < count + skew; i++) g_f[i] = rnd_float(scale);
    clear_outputs();
    mf_quantize_f32_s8(g_f + skew, count, scale, zp, g_out_ref);
    if (rnd(0, 1)) {
        MF_TWIN(mf_quantize_f32_s8)(g_f + skew, count, scale, zp, g_out_twin);
    } else { /* in place: the output starts at the input */
        int8_t *at = (int8_t *)(g_f + skew);
        MF_TWIN(mf_quantize_f32_s8)(g_f + skew, count, scale, zp, at);
        memcpy(g_out_twin, at, count);
    }
    compare("quantize", case_index, count);
}

/* Int8 -> float over random lengths (tails, unaligned starts): realistic
 * and extreme scales (negative, subnormal, below 2^-100, huge, infinite),
 * zero points in and out of int8. Compared as bytes. */
static void test_dequantize(int case_index)
{
    float scale;
    switch (rnd(0, 7)) {
    case 0: { static const float odd[] = {0x1p-101f, 0x1p-100f, -0x1p-100f, 1e-40f, 3e38f, -1e30f, 0.0f,
                                          __builtin_inff()};
              scale = odd[rnd(0, 7)]; break; }
    case 1: scale = -(float)rnd(1, 10000) / 4096.0f; break;
    default: scale = (float)rnd(1, 100000) / 65536.0f; break;
    }
    const int32_t zp = rnd(0, 9) == 0 ? rnd(-(1 << 21), 1 << 21) : rnd(-128, 127);
    const size_t count = rnd(0, 3) == 0 ? (size_t)rnd(0, 40) : (size_t)rnd(0, 5000);
    const size_t skew = (size_t)rnd(0, 15);
    fill_s8(g_in, count + skew);
    clear_outputs();
    mf_dequantize_s8_f32(g_in + skew, count, scale, zp, (float *)(void *)g_out_ref);
    MF_TWIN(mf_dequantize_s8_f32)(g_in + skew, count, scale, zp, (float *)(void *)g_out_twin);
    compare("dequantize", case_index, count * sizeof(float));
}

/* A random multiplier and shift for PReLU: a realistic scale (one of
 * 1/64 .. 4, negated for a negative slope when `negative`), or raw random
 * values and edges (saturating shifts, INT32_MIN) to hit every rounding path.
 * Left shifts above 23 are kept off multipliers within 2^8 of +-2^31: there
 * the requantized value can come within 127 of INT32_MAX and the reference's
 * `raw + output_zero_point` would overflow int32 (undefined in C). */
static void random_prelu_pair(int negative, int32_t *multiplier, int32_t *shift)
{
    static const int32_t edges[] = {0, 1, -1, INT32_MAX, INT32_MIN, INT32_MIN + 1, 1 << 30, -(1 << 30)};
    const int pick = rnd(0, 7);
    if (pick == 0) {
        *multiplier = edges[rnd(0, (int32_t)(sizeof edges / sizeof edges[0]) - 1)];
        *shift = rnd(-31, 30);
    } else if (pick == 1) {
        *multiplier = (int32_t)rnd32();
        *shift = rnd(-31, 30);
    } else {
        mf_quantize_multiplier((double)rnd(1, 256) / 64.0, multiplier, shift);
        if (negative && rnd(0, 3) != 0) *multiplier = -*multiplier;
    }
    if ((*multiplier > INT32_MAX - 256 || *multiplier < INT32_MIN + 256) && *shift > 23) *shift = 23;
}

/* Random channel counts (1..300: tails of 1..3 lanes), rows (0..), a last
 * partial row sometimes, zero points anywhere in -128..127, slopes of both
 * signs per channel; out of place or in place. */
static void test_prelu(int case_index)
{
    const int32_t channels = rnd(0, 3) == 0 ? rnd(1, 9) : rnd(1, 300);
    const int32_t rows = rnd(0, 4) == 0 ? rnd(0, 2) : rnd(0, 4000 / channels + 1);
    size_t count = (size_t)rows * (size_t)channels;
    if (rnd(0, 4) == 0) count += (size_t)rnd(0, channels - 1);
    const size_t skew = (size_t)rnd(0, 15);
    mf_prelu_s8_params p;
    p.input_zero_point = rnd(0, 3) == 0 ? (rnd(0, 1) ? -128 : 127) : rnd(-128, 127);
    p.output_zero_point = rnd(0, 3) == 0 ? (rnd(0, 1) ? -128 : 127) : rnd(-128, 127);
    random_prelu_pair(0, &p.positive_multiplier, &p.positive_shift);
    for (int32_t c = 0; c < channels; c++) random_prelu_pair(1, &g_mult[c], &g_shift[c]);
    p.negative_multiplier = g_mult;
    p.negative_shift = g_shift;
    fill_s8(g_in, count + skew);
    clear_outputs();
    mf_prelu_s8(&p, g_in + skew, count, channels, g_out_ref);
    if (rnd(0, 1)) {
        MF_TWIN(mf_prelu_s8)(&p, g_in + skew, count, channels, g_out_twin);
    } else { /* in place, as the executor may run activations */
        memcpy(g_out_twin, g_in + skew, count);
        MF_TWIN(mf_prelu_s8)(&p, g_out_twin, count, channels, g_out_twin);
    }
    compare("prelu", case_index, count);
}

#endif /* MF_KERNELS_BENCH */
#endif
