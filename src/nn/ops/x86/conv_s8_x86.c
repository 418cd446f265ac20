#include "nn/ops/x86/mf_kernels_s8_x86.h"
#include "nn/ops/x86/requantize_x86.h"
#include <string.h>

/* Convolution as a GEMM per group: M output pixels x N = out.c / groups
 * channels x K = kh * kw * in.c / groups taps. The group's weights are
 * packed (channels in vector lanes, taps in K order): for AVX-512 once at
 * plan time into the op's own memory (mf_conv_s8_x86_pack, used by
 * mf_conv_s8_x86_packed), otherwise by each call into the scratch; each call
 * builds an im2col row per output pixel, padded taps
 * holding the input zero point (so they add exactly 0, as the reference's
 * skipped taps). A tile of up to 4 pixels x 4 (AVX-512) or 2 (AVX2) lane
 * vectors of channels accumulates in registers, then requantizes per lane.
 *
 * AVX-512 VNNI (vpdpbusd: u8 x s8, four products summed into int32 exactly):
 * the row holds u = x + 128 (x ^ 0x80), so sum u*w = sum (x - zp)*w +
 * (128 + zp) * sum w, and the bias is corrected by (128 + zp) * sum w once
 * per call. int32 wrap-around is exact modulo 2^32, so the result equals the
 * reference wherever the reference's own int32 sum does not overflow.
 * AVX2 (vpmaddwd: int16 pairs summed into int32, exactly): the row holds
 * x - zp as int16 (padding 0), the weights int16. */

enum { TILE_PIXELS = 4, VNNI_LANES = 16, AVX2_LANES = 8, SCRATCH_ALIGN = 64 };

typedef struct gemm_shape {
    int32_t k, n;                /* taps, channels of one group */
    int32_t k_groups, n_vectors; /* taps in groups of 4 (VNNI) or 2 (AVX2); channel vectors */
} gemm_shape;

static gemm_shape vnni_shape(int32_t k, int32_t n)
{
    return (gemm_shape){k, n, (k + 3) / 4, (n + VNNI_LANES - 1) / VNNI_LANES};
}

static gemm_shape avx2_shape(int32_t k, int32_t n)
{
    return (gemm_shape){k, n, (k + 1) / 2, (n + AVX2_LANES - 1) / AVX2_LANES};
}

/* Bytes of one level's scratch: packed weights (each channel vector holds
 * k_groups x 64 or x 32 bytes), one int32 bias per lane, the rows of a
 * tile (4 or 2 x int16 bytes per tap group each). */
static size_t vnni_bytes(gemm_shape s)
{
    return (size_t)s.n_vectors * s.k_groups * 64 + (size_t)s.n_vectors * VNNI_LANES * 4 +
           (size_t)TILE_PIXELS * s.k_groups * 4;
}

static size_t avx2_bytes(gemm_shape s)
{
    return (size_t)s.n_vectors * s.k_groups * 32 + (size_t)s.n_vectors * AVX2_LANES * 4 +
           (size_t)TILE_PIXELS * s.k_groups * 4;
}

size_t mf_conv_s8_x86_scratch_size(const mf_conv_s8_params *p, const mf_shape4 *in, int32_t kh, int32_t kw,
                                   const mf_shape4 *out)
{
    if (p->groups < 1) return 0;
    const int32_t k = kh * kw * (in->c / p->groups), n = out->c / p->groups;
    const size_t a = vnni_bytes(vnni_shape(k, n)), b = avx2_bytes(avx2_shape(k, n));
    return (a > b ? a : b) + SCRATCH_ALIGN; /* room to align the start */
}

/* The taps of output pixel LINEAR (over n, oy, ox) for group G, in the
 * weights' (ky, kx, c) order. Each tap's channels go through COPY; taps off
 * the image through FILL. */
typedef struct im2col_source {
    const mf_conv_s8_params *p;
    const mf_shape4 *in, *out;
    const int8_t *input;
    int32_t kh, kw, in_per_group, group;
} im2col_source;

static inline void pixel_origin(const im2col_source *s, size_t linear, const int8_t **image, int32_t *y0,
                                int32_t *x0)
{
    const size_t per_image = (size_t)s->out->h * s->out->w;
    const int32_t n = (int32_t)(linear / per_image), rest = (int32_t)(linear % per_image);
    *y0 = (rest / s->out->w) * s->p->stride_h - s->p->pad_top;
    *x0 = (rest % s->out->w) * s->p->stride_w - s->p->pad_left;
    *image = s->input + (size_t)n * s->in->h * s->in->w * s->in->c + (size_t)s->group * s->in_per_group;
}

/* ---- AVX-512 VNNI ---------------------------------------------------- */

static MF_TARGET_AVX512 void copy_xor80(uint8_t *dst, const int8_t *src, int32_t count)
{
    const __m512i flip = _mm512_set1_epi8((char)0x80);
    int32_t i = 0;
    for (; i + 64 <= count; i += 64)
        _mm512_storeu_si512(dst + i, _mm512_xor_si512(_mm512_loadu_si512(src + i), flip));
    if (i < count) {
        const __mmask64 m = _bzhi_u64(~0ull, (unsigned)(count - i));
        _mm512_mask_storeu_epi8(dst + i, m, _mm512_xor_si512(_mm512_maskz_loadu_epi8(m, src + i), flip));
    }
}

/* The row of u8 taps (x + 128; off-image taps zp + 128; the tail to a
 * multiple of 4 zero). */
static MF_TARGET_AVX512 void vnni_row(const im2col_source *s, size_t linear, uint8_t *row, int32_t k_groups)
{
    const int8_t *image;
    int32_t y0, x0;
    pixel_origin(s, linear, &image, &y0, &x0);
    const mf_conv_s8_params *p = s->p;
    const uint8_t pad = (uint8_t)(p->input_zero_point + 128);
    const int32_t c = s->in_per_group;
    uint8_t *at = row;
    for (int32_t ky = 0; ky < s->kh; ky++) {
        const int32_t iy = y0 + ky * p->dilation_h;
        for (int32_t kx = 0; kx < s->kw; kx++, at += c) {
            const int32_t ix = x0 + kx * p->dilation_w;
            if (iy < 0 || iy >= s->in->h || ix < 0 || ix >= s->in->w)
                memset(at, pad, (size_t)c);
            else
                copy_xor80(at, image + ((size_t)iy * s->in->w + ix) * s->in->c, c);
        }
    }
    memset(at, 0, (size_t)(row + (size_t)k_groups * 4 - at));
}

/* packed[v][kg][lane][b] = w[v * 16 + lane][kg * 4 + b], zero beyond n and k;
 * bias_adj[o] = bias[o] - (128 + zp) * sum_k w[o][k]. */
static void vnni_pack(gemm_shape s, const int8_t *weights, const int32_t *bias, int32_t zp, int8_t *packed,
                      int32_t *bias_adj)
{
    memset(packed, 0, (size_t)s.n_vectors * s.k_groups * 64);
    for (int32_t o = 0; o < s.n; o++) {
        const int8_t *w = weights + (size_t)o * s.k;
        int8_t *lane = packed + (size_t)(o / VNNI_LANES) * s.k_groups * 64 + (size_t)(o % VNNI_LANES) * 4;
        int32_t sum = 0;
        for (int32_t k = 0; k < s.k; k++) {
            lane[(size_t)(k / 4) * 64 + (k % 4)] = w[k];
            sum += w[k];
        }
        bias_adj[o] = (bias ? bias[o] : 0) - (128 + zp) * sum;
    }
    for (int32_t o = s.n; o < s.n_vectors * VNNI_LANES; o++) bias_adj[o] = 0;
}

typedef struct tile_target {
    int8_t *output;   /* channel 0 of this group at the tile's first pixel */
    size_t pixel_stride; /* out.c */
    const int32_t *multiplier, *shift; /* this group's channel 0 */
    int32_t n, zp, lo, hi;
} tile_target;

static inline __attribute__((always_inline)) MF_TARGET_AVX512 void vnni_tile(
    const int P, const int V, const uint8_t *rows, size_t row_bytes, const int8_t *packed, gemm_shape s,
    const int32_t *bias_adj, int32_t v0, const tile_target *t)
{
    __m512i acc[TILE_PIXELS][4];
    for (int v = 0; v < V; v++) {
        const __m512i b = _mm512_loadu_si512(bias_adj + (size_t)(v0 + v) * VNNI_LANES);
        for (int q = 0; q < P; q++) acc[q][v] = b;
    }
    const int8_t *w = packed + (size_t)v0 * s.k_groups * 64;
    const size_t vector_bytes = (size_t)s.k_groups * 64;
    for (int32_t kg = 0; kg < s.k_groups; kg++) {
        __m512i wv[4];
        for (int v = 0; v < V; v++) wv[v] = _mm512_loadu_si512(w + v * vector_bytes + (size_t)kg * 64);
        for (int q = 0; q < P; q++) {
            int32_t four;
            memcpy(&four, rows + q * row_bytes + (size_t)kg * 4, 4);
            const __m512i x = _mm512_set1_epi32(four);
            for (int v = 0; v < V; v++) acc[q][v] = _mm512_dpbusd_epi32(acc[q][v], x, wv[v]);
        }
    }
    const __m512i zp = _mm512_set1_epi32(t->zp), lo = _mm512_set1_epi32(t->lo), hi = _mm512_set1_epi32(t->hi);
    for (int v = 0; v < V; v++) {
        const int32_t o = (v0 + v) * VNNI_LANES, left = t->n - o;
        const __mmask16 keep = left >= VNNI_LANES ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        const __m512i m = _mm512_maskz_loadu_epi32(keep, t->multiplier + o);
        const __m512i sh = _mm512_maskz_loadu_epi32(keep, t->shift + o);
        for (int q = 0; q < P; q++)
            mf_store_s8x16_avx512(t->output + q * t->pixel_stride + o, mf_requantize_avx512(acc[q][v], m, sh), zp,
                                  lo, hi, keep);
    }
}

static MF_TARGET_AVX512 void vnni_tiles(int P, const uint8_t *rows, size_t row_bytes, const int8_t *packed,
                                        gemm_shape s, const int32_t *bias_adj, const tile_target *t)
{
    for (int32_t v0 = 0; v0 < s.n_vectors; v0 += 4) {
        const int V = s.n_vectors - v0 < 4 ? s.n_vectors - v0 : 4;
#define MF_VNNI_CASE(p, v) \
    case (p) * 8 + (v): vnni_tile(p, v, rows, row_bytes, packed, s, bias_adj, v0, t); break;
        switch (P * 8 + V) {
            MF_VNNI_CASE(1, 1) MF_VNNI_CASE(1, 2) MF_VNNI_CASE(1, 3) MF_VNNI_CASE(1, 4)
            MF_VNNI_CASE(2, 1) MF_VNNI_CASE(2, 2) MF_VNNI_CASE(2, 3) MF_VNNI_CASE(2, 4)
            MF_VNNI_CASE(3, 1) MF_VNNI_CASE(3, 2) MF_VNNI_CASE(3, 3) MF_VNNI_CASE(3, 4)
            MF_VNNI_CASE(4, 1) MF_VNNI_CASE(4, 2) MF_VNNI_CASE(4, 3) MF_VNNI_CASE(4, 4)
        default: break;
        }
#undef MF_VNNI_CASE
    }
}

/* ---- AVX2 ------------------------------------------------------------ */

static MF_TARGET_AVX2 void copy_minus_zp(int16_t *dst, const int8_t *src, int32_t count, int32_t zp)
{
    const __m256i z = _mm256_set1_epi16((short)zp);
    int32_t i = 0;
    for (; i + 16 <= count; i += 16) {
        const __m256i x = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(const void *)(src + i)));
        _mm256_storeu_si256((__m256i *)(void *)(dst + i), _mm256_sub_epi16(x, z));
    }
    for (; i < count; i++) dst[i] = (int16_t)(src[i] - zp);
}

/* The row of int16 taps x - zp (off-image taps and the tail to a multiple of 2: 0). */
static MF_TARGET_AVX2 void avx2_row(const im2col_source *s, size_t linear, int16_t *row, int32_t k_groups)
{
    const int8_t *image;
    int32_t y0, x0;
    pixel_origin(s, linear, &image, &y0, &x0);
    const mf_conv_s8_params *p = s->p;
    const int32_t c = s->in_per_group;
    int16_t *at = row;
    for (int32_t ky = 0; ky < s->kh; ky++) {
        const int32_t iy = y0 + ky * p->dilation_h;
        for (int32_t kx = 0; kx < s->kw; kx++, at += c) {
            const int32_t ix = x0 + kx * p->dilation_w;
            if (iy < 0 || iy >= s->in->h || ix < 0 || ix >= s->in->w)
                memset(at, 0, (size_t)c * sizeof *at);
            else
                copy_minus_zp(at, image + ((size_t)iy * s->in->w + ix) * s->in->c, c, p->input_zero_point);
        }
    }
    memset(at, 0, (size_t)(row + (size_t)k_groups * 2 - at) * sizeof *at);
}

/* packed[v][kg][lane][b] = w[v * 8 + lane][kg * 2 + b] as int16, zero beyond n and k. */
static void avx2_pack(gemm_shape s, const int8_t *weights, const int32_t *bias, int16_t *packed, int32_t *bias_lanes)
{
    memset(packed, 0, (size_t)s.n_vectors * s.k_groups * 32);
    for (int32_t o = 0; o < s.n; o++) {
        const int8_t *w = weights + (size_t)o * s.k;
        int16_t *lane = packed + (size_t)(o / AVX2_LANES) * s.k_groups * 16 + (size_t)(o % AVX2_LANES) * 2;
        for (int32_t k = 0; k < s.k; k++) lane[(size_t)(k / 2) * 16 + (k % 2)] = w[k];
        bias_lanes[o] = bias ? bias[o] : 0;
    }
    for (int32_t o = s.n; o < s.n_vectors * AVX2_LANES; o++) bias_lanes[o] = 0;
}

static inline __attribute__((always_inline)) MF_TARGET_AVX2 void avx2_tile(
    const int P, const int V, const int16_t *rows, size_t row_elems, const int16_t *packed, gemm_shape s,
    const int32_t *bias_lanes, int32_t v0, const tile_target *t)
{
    __m256i acc[TILE_PIXELS][2];
    for (int v = 0; v < V; v++) {
        const __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(bias_lanes + (size_t)(v0 + v) * 8));
        for (int q = 0; q < P; q++) acc[q][v] = b;
    }
    const int16_t *w = packed + (size_t)v0 * s.k_groups * 16;
    const size_t vector_elems = (size_t)s.k_groups * 16;
    for (int32_t kg = 0; kg < s.k_groups; kg++) {
        __m256i wv[2];
        for (int v = 0; v < V; v++)
            wv[v] = _mm256_loadu_si256((const __m256i *)(const void *)(w + v * vector_elems + (size_t)kg * 16));
        for (int q = 0; q < P; q++) {
            int32_t pair;
            memcpy(&pair, rows + q * row_elems + (size_t)kg * 2, 4);
            const __m256i x = _mm256_set1_epi32(pair);
            for (int v = 0; v < V; v++) acc[q][v] = _mm256_add_epi32(acc[q][v], _mm256_madd_epi16(x, wv[v]));
        }
    }
    const __m256i zp = _mm256_set1_epi32(t->zp), lo = _mm256_set1_epi32(t->lo), hi = _mm256_set1_epi32(t->hi);
    for (int v = 0; v < V; v++) {
        const int32_t o = (v0 + v) * AVX2_LANES, left = t->n - o;
        const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        const __m256i keep = _mm256_cmpgt_epi32(_mm256_set1_epi32(left), lane);
        const __m256i m = _mm256_maskload_epi32(t->multiplier + o, keep);
        const __m256i sh = _mm256_maskload_epi32(t->shift + o, keep);
        for (int q = 0; q < P; q++) {
            int8_t *dst = t->output + q * t->pixel_stride + o;
            mf_store_s8_avx2(dst, mf_requantize_avx2(acc[q][v], m, sh), zp, lo, hi, left);
        }
    }
}

static MF_TARGET_AVX2 void avx2_tiles(int P, const int16_t *rows, size_t row_elems, const int16_t *packed,
                                      gemm_shape s, const int32_t *bias_lanes, const tile_target *t)
{
    for (int32_t v0 = 0; v0 < s.n_vectors; v0 += 2) {
        const int V = s.n_vectors - v0 < 2 ? s.n_vectors - v0 : 2;
#define MF_AVX2_CASE(p, v) \
    case (p) * 8 + (v): avx2_tile(p, v, rows, row_elems, packed, s, bias_lanes, v0, t); break;
        switch (P * 8 + V) {
            MF_AVX2_CASE(1, 1) MF_AVX2_CASE(1, 2) MF_AVX2_CASE(2, 1) MF_AVX2_CASE(2, 2)
            MF_AVX2_CASE(3, 1) MF_AVX2_CASE(3, 2) MF_AVX2_CASE(4, 1) MF_AVX2_CASE(4, 2)
        default: break;
        }
#undef MF_AVX2_CASE
    }
}

/* ---- packing once, at plan time --------------------------------------- */

/* The first word of a plan-time pack: the layout is the VNNI one below. */
#define PACKED_VNNI 0x564E4E49 /* "INNV" */

/* One group's VNNI weights and corrected bias in a plan-time pack. */
static size_t vnni_group_bytes(gemm_shape s)
{
    return (size_t)s.n_vectors * s.k_groups * 64 + (size_t)s.n_vectors * VNNI_LANES * 4;
}

size_t mf_conv_s8_x86_packed_size(int32_t groups, int32_t k, int32_t out_c)
{
    if (groups < 1 || k < 1 || out_c < groups) return 0;
    return SCRATCH_ALIGN + (size_t)groups * vnni_group_bytes(vnni_shape(k, out_c / groups));
}

int mf_conv_s8_x86_pack(int32_t groups, int32_t input_zero_point, int32_t k, int32_t out_c, const int8_t *weights,
                        const int32_t *bias, void *packed)
{
    int32_t *header = packed;
    header[0] = 0;
    if (mf_x86_isa_active() < MF_X86_ISA_AVX512) return 0; /* AVX2 packs per call */
    const int32_t n = out_c / groups;
    const gemm_shape s = vnni_shape(k, n);
    int8_t *at = (int8_t *)packed + SCRATCH_ALIGN;
    for (int32_t g = 0; g < groups; g++, at += vnni_group_bytes(s))
        vnni_pack(s, weights + (size_t)g * n * k, bias ? bias + (size_t)g * n : NULL, input_zero_point, at,
                  (int32_t *)(void *)(at + (size_t)s.n_vectors * s.k_groups * 64));
    header[0] = PACKED_VNNI;
    return 1;
}

/* ---- dispatch -------------------------------------------------------- */

static void conv_x86(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                     const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights, const int32_t *bias,
                     const mf_shape4 *out, int8_t *output, void *scratch, const void *packed)
{
    const mf_x86_isa isa = mf_x86_isa_active();
    if (isa == MF_X86_ISA_SCALAR || !scratch) {
        mf_conv_s8(p, rq, in, input, kh, kw, weights, bias, out, output, scratch);
        return;
    }
    const int32_t in_pg = in->c / p->groups, n = out->c / p->groups, k = kh * kw * in_pg;
    const size_t pixels = (size_t)out->n * out->h * out->w;
    uint8_t *base = (uint8_t *)(((uintptr_t)scratch + SCRATCH_ALIGN - 1) & ~(uintptr_t)(SCRATCH_ALIGN - 1));
    for (int32_t g = 0; g < p->groups; g++) {
        const im2col_source src = {p, in, out, input, kh, kw, in_pg, g};
        const int8_t *w = weights + (size_t)g * n * k;
        const int32_t *b = bias ? bias + (size_t)g * n : NULL;
        tile_target t = {output + (size_t)g * n, (size_t)out->c, rq->multiplier + (size_t)g * n,
                         rq->shift + (size_t)g * n, n, p->output_zero_point, p->act_min, p->act_max};
        if (isa >= MF_X86_ISA_AVX512) {
            const gemm_shape s = vnni_shape(k, n);
            const int8_t *group_weights;
            const int32_t *bias_adj;
            uint8_t *rows;
            if (packed) { /* packed at plan time: only the rows go to the scratch */
                group_weights = (const int8_t *)packed + SCRATCH_ALIGN + (size_t)g * vnni_group_bytes(s);
                bias_adj = (const int32_t *)(const void *)(group_weights + (size_t)s.n_vectors * s.k_groups * 64);
                rows = base;
            } else {
                int8_t *pack = (int8_t *)base;
                int32_t *adj = (int32_t *)(void *)(base + (size_t)s.n_vectors * s.k_groups * 64);
                vnni_pack(s, w, b, p->input_zero_point, pack, adj);
                group_weights = pack;
                bias_adj = adj;
                rows = (uint8_t *)(adj + (size_t)s.n_vectors * VNNI_LANES);
            }
            const size_t row_bytes = (size_t)s.k_groups * 4;
            for (size_t at = 0; at < pixels; at += TILE_PIXELS) {
                const int P = pixels - at < TILE_PIXELS ? (int)(pixels - at) : TILE_PIXELS;
                for (int q = 0; q < P; q++) vnni_row(&src, at + q, rows + q * row_bytes, s.k_groups);
                t.output = output + at * out->c + (size_t)g * n;
                vnni_tiles(P, rows, row_bytes, group_weights, s, bias_adj, &t);
            }
        } else {
            const gemm_shape s = avx2_shape(k, n);
            int16_t *pack16 = (int16_t *)(void *)base;
            int32_t *bias_lanes = (int32_t *)(void *)(base + (size_t)s.n_vectors * s.k_groups * 32);
            int16_t *rows = (int16_t *)(void *)(bias_lanes + (size_t)s.n_vectors * AVX2_LANES);
            const size_t row_elems = (size_t)s.k_groups * 2;
            avx2_pack(s, w, b, pack16, bias_lanes);
            for (size_t at = 0; at < pixels; at += TILE_PIXELS) {
                const int P = pixels - at < TILE_PIXELS ? (int)(pixels - at) : TILE_PIXELS;
                for (int q = 0; q < P; q++) avx2_row(&src, at + q, rows + q * row_elems, s.k_groups);
                t.output = output + at * out->c + (size_t)g * n;
                avx2_tiles(P, rows, row_elems, pack16, s, bias_lanes, &t);
            }
        }
    }
}

void mf_conv_s8_x86(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                    const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights, const int32_t *bias,
                    const mf_shape4 *out, int8_t *output, void *scratch)
{
    conv_x86(p, rq, in, input, kh, kw, weights, bias, out, output, scratch, NULL);
}

void mf_conv_s8_x86_packed(const mf_conv_s8_params *p, const mf_channel_requant *rq, const mf_shape4 *in,
                           const int8_t *input, int32_t kh, int32_t kw, const int8_t *weights, const int32_t *bias,
                           const mf_shape4 *out, int8_t *output, void *scratch, const void *packed)
{
    /* a pack made at another level (the limit moved after planning) is not used */
    const int usable = packed && ((const int32_t *)packed)[0] == PACKED_VNNI && mf_x86_isa_active() >= MF_X86_ISA_AVX512;
    conv_x86(p, rq, in, input, kh, kw, weights, bias, out, output, scratch, usable ? packed : NULL);
}
