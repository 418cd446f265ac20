/* mf_matmul_f32: hand-computed cases, then the PyTorch fixtures. */
#include "kernel_fixtures.h"

/* {{1, 2}, {3, 4}} x {{5, 6}, {7, 8}} = {{19, 22}, {43, 50}}, with every
 * combination of stored-transposed operands and alpha 0.5. */
static void test_2x2(void)
{
    const float a[4] = {1, 2, 3, 4}, a_t[4] = {1, 3, 2, 4};
    const float b[4] = {5, 6, 7, 8}, b_t[4] = {5, 7, 6, 8};
    const float want[4] = {19, 22, 43, 50}, half[4] = {9.5f, 11, 21.5f, 25};
    float got[4];
    mf_matmul_f32(a, b, 1, 2, 2, 2, 0, 0, 1.0f, got);
    mf_check_floats("nn", got, want, 4, 0, 0);
    mf_matmul_f32(a_t, b, 1, 2, 2, 2, 1, 0, 1.0f, got);
    mf_check_floats("tn", got, want, 4, 0, 0);
    mf_matmul_f32(a, b_t, 1, 2, 2, 2, 0, 1, 1.0f, got);
    mf_check_floats("nt", got, want, 4, 0, 0);
    mf_matmul_f32(a_t, b_t, 1, 2, 2, 2, 1, 1, 0.5f, got);
    mf_check_floats("tt_alpha", got, half, 4, 0, 0);
}

/* Non-square and batched: [2][1x3] x [2][3x2], batch 1 uses its own operands. */
static void test_batched(void)
{
    const float a[6] = {1, 2, 3, 1, 0, -1};
    const float b[12] = {1, 0, 0, 1, 1, 1, 2, 3, 4, 5, 6, 7};
    const float want[4] = {4, 5, 2 - 6, 3 - 7};
    float got[4];
    mf_matmul_f32(a, b, 2, 1, 3, 2, 0, 0, 1.0f, got);
    mf_check_floats("batched", got, want, 4, 0, 0);
}

static void test_torch_fixtures(void)
{
    kf_file f;
    kf_case c;
    if (!kf_open(&f, "matmul")) return;
    while (kf_next(&f, &c)) {
        const int32_t *q = c.ints;
        const kf_array *a = &c.arrays[0], *b = &c.arrays[1], *want = &c.arrays[2];
        float *got = kf_output(want->count);
        mf_matmul_f32(a->data, b->data, q[0], q[1], q[2], q[3], q[4], q[5], c.floats[0], got);
        /* Float accumulation over up to 384 products; the oracle is float64. */
        kf_compare(&c, got, want, 1e-5, 1e-5);
        free(got);
    }
    kf_close(&f);
}

int main(void)
{
    MF_RUN(test_2x2);
    MF_RUN(test_batched);
    MF_RUN(test_torch_fixtures);
    return kf_summary();
}
