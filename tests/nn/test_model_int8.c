/* The int8 runtime (format 1.1) end to end: a small quantized model
 * (tools/fixtures/make_tiny_int8_model.py) must reproduce, bit for bit, an
 * independent numpy interpreter of the int8 arithmetic
 * (tools/fixtures/int8_reference.py); its requantization parameters live in
 * the workspace; damaged copies never crash the loader, planner or kernels. */
#include "mf_test.h"
#include "model_files.h"
#include "mcuface/mf_model.h"
#include "mcuface/mf_status.h"
#include "nn/graph.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define H 10
#define W 14

static char fixture_dir[4096];

/* Opens, plans for 1 x H x W x 3, runs; copies both outputs out. */
static int run_int8(const uint8_t *blob, size_t size, const float *input, float *out0, size_t n0, float *out1,
                    size_t n1, mf_model_stats *stats)
{
    mf_model m;
    int err = mf_model_open(&m, blob, size);
    if (err) return err;
    size_t ws_bytes = mf_model_workspace_bytes(&m), arena_bytes = 0;
    void *ws = malloc(ws_bytes);
    int32_t dims[4] = {1, H, W, 3};
    err = mf_model_plan(&m, ws, ws_bytes, dims, 4, &arena_bytes);
    void *arena = NULL;
    if (!err && arena_bytes > ((size_t)1 << 24)) err = MF_ENOMEM;
    if (!err) {
        arena = aligned_alloc(16, arena_bytes ? (arena_bytes + 15) / 16 * 16 : 16);
        err = mf_model_bind(&m, arena, arena_bytes);
    }
    if (!err && (mf_model_input_count(&m) != 1 || mf_model_output_count(&m) != 2)) err = MF_EINVAL;
    if (!err) {
        mf_tensor *in = mf_model_input(&m, 0), *o0 = mf_model_output(&m, 0), *o1 = mf_model_output(&m, 1);
        if (in->dtype != 1 || o0->dtype != 1 || o1->dtype != 1 || mf_tensor_elements(in) != (size_t)(H * W * 3) ||
            mf_tensor_elements(o0) != n0 || mf_tensor_elements(o1) != n1)
            err = MF_EINVAL;
        if (!err) {
            memcpy(in->data, input, (size_t)(H * W * 3) * sizeof(float));
            err = mf_model_run(&m);
        }
        if (!err) {
            memcpy(out0, o0->data, n0 * sizeof(float));
            memcpy(out1, o1->data, n1 * sizeof(float));
        }
    }
    if (!err && stats) *stats = *mf_model_get_stats(&m);
    free(arena);
    free(ws);
    return err;
}

static void matches_numpy_reference_exactly(void)
{
    size_t size, in_size, n0, n1;
    void *file = mf_test_load_fixture(fixture_dir, "tiny_int8.mfm", &size);
    float *input = mf_test_load_fixture(fixture_dir, "tiny_int8_input.f32", &in_size);
    float *want0 = mf_test_load_fixture(fixture_dir, "tiny_int8_out0.f32", &n0);
    float *want1 = mf_test_load_fixture(fixture_dir, "tiny_int8_out1.f32", &n1);
    MF_CHECK(file && input && want0 && want1);
    if (file && input && want0 && want1) {
        n0 /= sizeof(float);
        n1 /= sizeof(float);
        uint8_t *blob = mf_test_aligned_copy(file, size);
        float *got0 = calloc(n0, sizeof(float)), *got1 = calloc(n1, sizeof(float));
        mf_model_stats st;
        MF_CHECK_EQ_INT(run_int8(blob, size, input, got0, n0, got1, n1, &st), MF_OK);
        /* fully connected output, dequantized: every int8 step must agree bit for bit */
        int exact = memcmp(got0, want0, n0 * sizeof(float)) == 0;
        MF_CHECK(exact);
        if (!exact)
            for (size_t i = 0; i < n0; i++)
                if (got0[i] != want0[i]) { fprintf(stderr, "out0[%zu] %g != %g\n", i, got0[i], want0[i]); break; }
        mf_check_floats("softmax after dequantize", got1, want1, n1, 1e-6, 1e-5);
        /* 3 weighted layers... each keeps a clamp + 2 words per channel in the workspace */
        MF_CHECK(st.quant_bytes > 0 && st.quant_bytes < st.workspace_bytes);
        printf("int8 tiny: arena %zu bytes, workspace %zu (quant %zu), %llu MACs\n", st.arena_bytes,
               st.workspace_bytes, st.quant_bytes, (unsigned long long)st.macs);
        free(got0);
        free(got1);
        free(blob);
    }
    free(file);
    free(input);
    free(want0);
    free(want1);
}

/* Plans the blob at 1 x H x W x 3; returns the status. */
static int plan_only(const uint8_t *blob, size_t size)
{
    mf_model m;
    int err = mf_model_open(&m, blob, size);
    if (err) return err;
    size_t ws_bytes = mf_model_workspace_bytes(&m), arena = 0;
    void *ws = malloc(ws_bytes);
    int32_t dims[4] = {1, H, W, 3};
    err = ws ? mf_model_plan(&m, ws, ws_bytes, dims, 4, &arena) : MF_ENOMEM;
    free(ws);
    return err;
}

/* The PReLU slopes (float32, in the file as written by make_tiny_int8_model.py)
 * become multipliers when planning: a NaN or a slope whose requantized value
 * could overflow int32 is refused, a plain change is accepted. */
static void hostile_prelu_slopes_are_refused(void)
{
    size_t size;
    void *file = mf_test_load_fixture(fixture_dir, "tiny_int8.mfm", &size);
    MF_CHECK(file != NULL);
    if (!file) return;
    const float slopes[4] = {0.25f, -0.4f, 0.0f, 1.3f};
    uint8_t *blob = mf_test_aligned_copy(file, size);
    size_t at = 0;
    while (at + sizeof slopes <= size && memcmp(blob + at, slopes, sizeof slopes)) at += 4;
    MF_CHECK(at + sizeof slopes <= size);
    if (at + sizeof slopes <= size) {
        static const float bad[4] = {NAN, 1e30f, -1e30f, INFINITY}, fine = -2.0f;
        for (int k = 0; k < 4; k++) {
            memcpy(blob + at + 4, &bad[k], 4);
            mf_test_patch_model_crc(blob, size);
            MF_CHECK_EQ_INT(plan_only(blob, size), MF_EINVAL);
        }
        memcpy(blob + at + 4, &fine, 4);
        mf_test_patch_model_crc(blob, size);
        MF_CHECK_EQ_INT(plan_only(blob, size), MF_OK);
    }
    free(blob);
    free(file);
}

/* Re-checksummed random damage (scales, zero points, dtypes, op records):
 * prepare must refuse or the run must stay inside its buffers (ASan). */
static void corrupted_int8_files_never_crash(void)
{
    size_t size;
    void *file = mf_test_load_fixture(fixture_dir, "tiny_int8.mfm", &size);
    MF_CHECK(file != NULL);
    if (!file) return;
    uint32_t seed = 777;
    int rejected = 0, ran = 0;
    static float input[H * W * 3], out0[1024], out1[1024];
    for (int trial = 0; trial < 2000; trial++) {
        uint8_t *blob = mf_test_aligned_copy(file, size);
        for (int f = 0; f < 1 + trial % 3; f++) {
            seed = seed * 1103515245u + 12345u;
            size_t span = trial % 4 == 0 ? size : (size < 4096 ? size : 4096);
            size_t pos = (seed >> 8) % span;
            seed = seed * 1103515245u + 12345u;
            blob[pos] ^= (uint8_t)(1u << ((seed >> 16) % 8));
        }
        mf_test_patch_model_crc(blob, size);
        /* output sizes may change with the damage: ask for the true ones */
        mf_model m;
        size_t n0 = 0, n1 = 0;
        if (mf_model_open(&m, blob, size) == MF_OK) {
            size_t ws_bytes = mf_model_workspace_bytes(&m), arena = 0;
            void *ws = malloc(ws_bytes);
            int32_t dims[4] = {1, H, W, 3};
            if (ws && mf_model_plan(&m, ws, ws_bytes, dims, 4, &arena) == MF_OK && mf_model_output_count(&m) == 2) {
                n0 = mf_tensor_elements(mf_model_output(&m, 0));
                n1 = mf_tensor_elements(mf_model_output(&m, 1));
            }
            free(ws);
        }
        int err = n0 && n1 && n0 <= 1024 && n1 <= 1024 ? run_int8(blob, size, input, out0, n0, out1, n1, NULL)
                                                       : MF_EINVAL;
        if (err == MF_OK) ran++;
        else rejected++;
        free(blob);
    }
    MF_CHECK(rejected > 0 && ran > 0);
    printf("int8 re-checksummed corruptions: %d rejected, %d ran\n", rejected, ran);
    free(file);
}

int main(void)
{
    const char *build = getenv("MCUFACE_BUILD");
    snprintf(fixture_dir, sizeof fixture_dir, "%s/fixtures/tiny_int8", build ? build : "build");
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/tiny_int8.mfm", fixture_dir);
    FILE *f = fopen(probe, "rb");
    if (!f) mf_test_skip("no int8 tiny model (tools/fixtures/make_tiny_int8_model.py needs python3-torch)");
    fclose(f);
    MF_RUN(matches_numpy_reference_exactly);
    MF_RUN(hostile_prelu_slopes_are_refused);
    MF_RUN(corrupted_int8_files_never_crash);
    return mf_test_summary();
}
