/* mf_conv_s8, mf_depthwise_conv_s8, mf_fully_connected_s8: hand-computed
 * cases, then "dequantize -> float kernel -> quantize" on random cases,
 * which must agree within 1 LSB (the two roundings of the integer path). */
#include "mf_test.h"
#include "nn/ops/mf_kernels_s8.h"
#include "nn/ops/ref/requantize.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static mf_conv_s8_params plain(int32_t zp_in, int32_t zp_out)
{
    mf_conv_s8_params p = {1, 1, 0, 0, 0, 0, 1, 1, 1, zp_in, zp_out, -128, 127};
    return p;
}

static void test_conv_by_hand(void)
{
    /* 2x2 input [1 2; 3 4], zero point 1 -> [0 1; 2 3]; 2x2 weights 1..4; bias 10:
     * acc = 10 + 0 + 2 + 6 + 12 = 30; x 0.5 = 15; output zero point -5 -> 10. */
    const int32_t half = 1 << 30, zero = 0;
    const mf_channel_requant rq = {&half, &zero};
    const mf_shape4 in = {1, 2, 2, 1}, out = {1, 1, 1, 1};
    const int8_t x[4] = {1, 2, 3, 4}, w[4] = {1, 2, 3, 4};
    const int32_t bias = 10;
    int8_t got;
    mf_conv_s8_params p = plain(1, -5);
    mf_conv_s8(&p, &rq, &in, x, 2, 2, w, &bias, &out, &got, NULL);
    MF_CHECK_EQ_INT(got, 10);
    p.act_max = 3; /* fused clamp */
    mf_conv_s8(&p, &rq, &in, x, 2, 2, w, &bias, &out, &got, NULL);
    MF_CHECK_EQ_INT(got, 3);

    /* Padding reads the zero point: a 1x1 image of 9 with zero point 7 under a
     * 3x3 box of ones, pad 1: only the centre contributes, 2 (x 0.5 -> 1). */
    const mf_shape4 in1 = {1, 1, 1, 1};
    const int8_t v = 9, ones[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    p = plain(7, 0);
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = 1;
    mf_conv_s8(&p, &rq, &in1, &v, 3, 3, ones, NULL, &in1, &got, NULL);
    MF_CHECK_EQ_INT(got, 1);
    mf_depthwise_conv_s8(&p, &rq, &in1, &v, 3, 3, ones, NULL, &in1, &got);
    MF_CHECK_EQ_INT(got, 1);

    /* Groups: two channels, groups 2, 1x1 weights 3 and -2, multiplier 1 (2^30, shift 1). */
    const int32_t mults[2] = {half, half}, shifts[2] = {1, 1};
    const mf_channel_requant rq2 = {mults, shifts};
    const mf_shape4 in2 = {1, 1, 1, 2};
    const int8_t x2[2] = {5, 6}, w2[2] = {3, -2}, want2[2] = {15, -12};
    int8_t got2[2];
    p = plain(0, 0);
    p.groups = 2;
    mf_conv_s8(&p, &rq2, &in2, x2, 1, 1, w2, NULL, &in2, got2, NULL);
    mf_check_bytes("groups", got2, want2, 2);

    /* Fully connected: rows 2, features 2 -> 1: (x - 1) . (2, 1) + 1, x 1. */
    const mf_fc_s8_params fp = {1, 0, -128, 127};
    const int8_t fx[4] = {3, 4, -1, 1}, fw[2] = {2, 1}, fwant[2] = {8, -3};
    const int32_t fb = 1;
    int8_t fgot[2];
    mf_fully_connected_s8(&fp, &rq2, fx, 2, 2, fw, &fb, 1, fgot);
    mf_check_bytes("fc", fgot, fwant, 2);
}

static double uniform(double lo, double hi) { return lo + (hi - lo) * rand() / (double)RAND_MAX; }
static int32_t irand(int32_t lo, int32_t hi) { return lo + rand() % (hi - lo + 1); }

enum { MAX_ELEMS = 4096, MAX_CH = 64 };
typedef struct quant_case {
    double s_in, s_out, s_w[MAX_CH];
    int32_t zp_in, zp_out, mult[MAX_CH], shift[MAX_CH], bias[MAX_CH];
    int8_t x[MAX_ELEMS], w[MAX_ELEMS], got[MAX_ELEMS];
    float xf[MAX_ELEMS], wf[MAX_ELEMS], bf[MAX_CH], yf[MAX_ELEMS];
} quant_case;

/* Random tensors and scales; weight element i belongs to output channel
 * channel_of(i). Output scale chosen so outputs spread over int8. */
static void make_case(quant_case *q, size_t n_in, size_t n_w, int32_t out_c, int32_t taps, int32_t w_channel_fastest)
{
    q->s_in = uniform(0.005, 0.05);
    q->zp_in = irand(-128, 127);
    q->zp_out = irand(-60, 60);
    q->s_out = q->s_in * 0.01 * 127 * sqrt((double)taps) * uniform(0.5, 2.0) / 3.0;
    for (size_t i = 0; i < n_in; i++) {
        q->x[i] = (int8_t)irand(-128, 127);
        q->xf[i] = (float)(q->s_in * (q->x[i] - q->zp_in));
    }
    for (int32_t o = 0; o < out_c; o++) {
        q->s_w[o] = uniform(0.005, 0.015);
        q->bias[o] = irand(-3000, 3000);
        q->bf[o] = (float)(q->bias[o] * q->s_in * q->s_w[o]);
        mf_quantize_multiplier(q->s_in * q->s_w[o] / q->s_out, &q->mult[o], &q->shift[o]);
    }
    const size_t per_channel = n_w / (size_t)out_c;
    for (size_t i = 0; i < n_w; i++) {
        const int32_t o = w_channel_fastest ? (int32_t)(i % (size_t)out_c) : (int32_t)(i / per_channel);
        q->w[i] = (int8_t)irand(-127, 127);
        q->wf[i] = (float)(q->s_w[o] * q->w[i]);
    }
}

/* Quantizes the float result and checks |int8 - quantized float| <= 1. */
static void check_within_1(const char *what, const quant_case *q, size_t n, int32_t lo, int32_t hi)
{
    int worst = 0;
    size_t worst_i = 0;
    for (size_t i = 0; i < n; i++) {
        const int32_t want = mf_clamp_s8((int32_t)lround(q->yf[i] / q->s_out) + q->zp_out, lo, hi);
        const int d = abs(q->got[i] - want);
        if (d > worst) worst = d, worst_i = i;
    }
    if (worst > 1) fprintf(stderr, "%s: index %zu differs by %d LSB\n", what, worst_i, worst);
    MF_CHECK(worst <= 1);
}

static void test_vs_float(void)
{
    static quant_case q;
    srand(3);
    for (int t = 0; t < 200; t++) {
        mf_conv_params fp = {irand(1, 2), irand(1, 2), irand(0, 1), irand(0, 1), irand(0, 1), irand(0, 1),
                             irand(1, 2), irand(1, 2), irand(1, 2), MF_ACT_NONE, 0.0f};
        const int32_t kh = irand(1, 3), kw = irand(1, 3);
        const mf_shape4 in = {1, irand(3, 7), irand(3, 7), fp.groups * irand(1, 6)};
        const mf_shape4 out = {1, (in.h + fp.pad_top + fp.pad_bottom - fp.dilation_h * (kh - 1) - 1) / fp.stride_h + 1,
                               (in.w + fp.pad_left + fp.pad_right - fp.dilation_w * (kw - 1) - 1) / fp.stride_w + 1,
                               fp.groups * irand(1, 8)};
        if (out.h < 1 || out.w < 1) continue;
        const int32_t in_pg = in.c / fp.groups;
        make_case(&q, (size_t)in.h * in.w * in.c, (size_t)out.c * kh * kw * in_pg, out.c, kh * kw * in_pg, 0);
        mf_conv_s8_params p = {fp.stride_h, fp.stride_w, fp.pad_top, fp.pad_left, fp.pad_bottom, fp.pad_right,
                               fp.dilation_h, fp.dilation_w, fp.groups, q.zp_in, q.zp_out, -128, 127};
        const mf_channel_requant rq = {q.mult, q.shift};
        mf_conv_s8(&p, &rq, &in, q.x, kh, kw, q.w, q.bias, &out, q.got, NULL);
        mf_conv_f32(&fp, &in, q.xf, kh, kw, q.wf, q.bf, &out, q.yf);
        check_within_1("conv", &q, (size_t)out.h * out.w * out.c, -128, 127);

        /* Depthwise on the same input with a fused ReLU-style clamp at the zero point. */
        fp.groups = 1;
        const int32_t mult = irand(1, 2);
        const mf_shape4 dout = {1, out.h, out.w, in.c * mult};
        make_case(&q, (size_t)in.h * in.w * in.c, (size_t)kh * kw * dout.c, dout.c, kh * kw, 1);
        p.input_zero_point = q.zp_in;
        p.output_zero_point = q.zp_out;
        p.act_min = q.zp_out;
        mf_depthwise_conv_s8(&p, &rq, &in, q.x, kh, kw, q.w, q.bias, &dout, q.got);
        mf_depthwise_conv_f32(&fp, &in, q.xf, kh, kw, q.wf, q.bf, &dout, q.yf);
        check_within_1("depthwise", &q, (size_t)dout.h * dout.w * dout.c, q.zp_out, 127);

        /* Fully connected. */
        const int32_t rows = irand(1, 3), in_f = irand(1, 200), out_f = irand(1, 20);
        make_case(&q, (size_t)rows * in_f, (size_t)out_f * in_f, out_f, in_f, 0);
        const mf_fc_s8_params fcp = {q.zp_in, q.zp_out, -128, 127};
        mf_fully_connected_s8(&fcp, &rq, q.x, rows, in_f, q.w, q.bias, out_f, q.got);
        mf_fully_connected_f32(q.xf, rows, in_f, q.wf, q.bf, out_f, MF_ACT_NONE, 0.0f, q.yf);
        check_within_1("fully_connected", &q, (size_t)rows * out_f, -128, 127);
    }
}

int main(void)
{
    MF_RUN(test_conv_by_hand);
    MF_RUN(test_vs_float);
    return mf_test_summary();
}
