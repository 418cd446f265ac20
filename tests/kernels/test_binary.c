/* mf_binary_f32 (numpy broadcasting): hand-computed cases, then the PyTorch fixtures. */
#include "kernel_fixtures.h"
#include <stdint.h>
#include <string.h>

static const mf_shape4 k_2x2 = {1, 1, 2, 2};
static const float k_a[4] = {1, 2, 3, 4};

static void test_broadcast_patterns(void)
{
    float got[4];
    const float b[2] = {10, 20};
    const mf_shape4 per_channel = {1, 1, 1, 2}, per_pixel = {1, 1, 2, 1};
    const float add_c[4] = {11, 22, 13, 24}, add_px[4] = {11, 12, 23, 24};
    mf_binary_f32(MF_BINARY_ADD, &k_2x2, k_a, &per_channel, b, &k_2x2, MF_ACT_NONE, 0, got);
    mf_check_floats("add_per_channel", got, add_c, 4, 0, 0);
    mf_binary_f32(MF_BINARY_ADD, &k_2x2, k_a, &per_pixel, b, &k_2x2, MF_ACT_NONE, 0, got);
    mf_check_floats("add_per_pixel", got, add_px, 4, 0, 0);
    /* The broadcast operand first: 6 / {1, 2, 3}. */
    const mf_shape4 one = {1, 1, 1, 1}, three = {1, 1, 1, 3};
    const float six[1] = {6}, d[3] = {1, 2, 3}, div[3] = {6, 3, 2};
    mf_binary_f32(MF_BINARY_DIV, &one, six, &three, d, &three, MF_ACT_NONE, 0, got);
    mf_check_floats("div_scalar_first", got, div, 3, 0, 0);
    /* Both broadcast: [1,1,2,1] x [1,1,1,2] is an outer product. */
    const float outer[4] = {10, 20, 20, 40};
    const float col[2] = {1, 2};
    mf_binary_f32(MF_BINARY_MUL, &per_pixel, col, &per_channel, b, &k_2x2, MF_ACT_NONE, 0, got);
    mf_check_floats("outer_product", got, outer, 4, 0, 0);
}

static void test_sub_with_relu(void)
{
    const float b[4] = {2, 1, 5, 0};
    const float want[4] = {0, 1, 0, 4};
    float got[4];
    mf_binary_f32(MF_BINARY_SUB, &k_2x2, k_a, &k_2x2, b, &k_2x2, MF_ACT_RELU, 0, got);
    mf_check_floats("sub_relu", got, want, 4, 0, 0);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "binary")) return;
    while (kf_next(&f, &c)) {
        const kf_array *a = &c.arrays[0], *b = &c.arrays[1], *want = &c.arrays[2];
        float *got = kf_output(want->count);
        mf_binary_f32((mf_binary)c.ints[0], &a->shape, a->data, &b->shape, b->data, &want->shape, (mf_act)c.ints[1],
                      c.floats[0], got);
        kf_compare(&c, got, want, 1e-6, 1e-6);
        free(got);
    }
    kf_close(&f);
}

/* The flat loops (no activation; whole or per-channel second input) give
 * each element's single IEEE operation bit for bit, for every kind, on
 * shapes whose channel count is not a multiple of any vector width. */
static void test_flat_paths_exact(void)
{
    enum { H = 3, W = 5, C = 37 };
    static float a[H * W * C], b[H * W * C], got[H * W * C];
    uint32_t state = 7;
    for (int i = 0; i < H * W * C; i++) {
        state = state * 1664525u + 1013904223u;
        a[i] = (float)(int32_t)(state >> 8) / 65536.0f - 128.0f;
        state = state * 1664525u + 1013904223u;
        b[i] = (float)(int32_t)(state >> 8) / 32768.0f + 0.25f;
    }
    const mf_shape4 whole = {1, H, W, C}, channel = {1, 1, 1, C};
    for (int kind = MF_BINARY_ADD; kind <= MF_BINARY_DIV; kind++)
        for (int per_channel = 0; per_channel < 2; per_channel++) {
            mf_binary_f32((mf_binary)kind, &whole, a, per_channel ? &channel : &whole, b, &whole, MF_ACT_NONE, 0, got);
            int same = 1;
            for (int i = 0; i < H * W * C; i++) {
                const float y = per_channel ? b[i % C] : b[i];
                const float want = kind == MF_BINARY_ADD ? a[i] + y : kind == MF_BINARY_SUB ? a[i] - y
                                   : kind == MF_BINARY_MUL ? a[i] * y : a[i] / y;
                same &= memcmp(&want, &got[i], sizeof want) == 0;
            }
            MF_CHECK(same);
        }
}

int main(void)
{
    MF_RUN(test_broadcast_patterns);
    MF_RUN(test_flat_paths_exact);
    MF_RUN(test_sub_with_relu);
    MF_RUN(test_torch_fixtures);
    return kf_summary();
}
