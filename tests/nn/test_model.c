/* The runtime end to end on a small model that uses every op type: outputs
 * against PyTorch (tools/fixtures/make_tiny_model.py), the planner's arena
 * against a brute-force liveness check, and the loader against truncated,
 * corrupted and re-checksummed files. */
#include "mf_test.h"
#include "model_files.h"
#include "mcuface/mf_model.h"
#include "mcuface/mf_status.h"
#include "nn/graph.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char fixture_dir[4096];

/* Opens, plans for 1 x H x W x 3, binds and runs; returns status. */
static int run_model(const uint8_t *blob, size_t size, int32_t h, int32_t w, const float *input, float *output,
                     size_t output_count, size_t arena_limit)
{
    mf_model m;
    int err = mf_model_open(&m, blob, size);
    if (err) return err;
    size_t ws_bytes = mf_model_workspace_bytes(&m), arena_bytes = 0;
    void *ws = malloc(ws_bytes);
    int32_t dims[4] = {1, h, w, 3};
    err = mf_model_plan(&m, ws, ws_bytes, dims, 4, &arena_bytes);
    void *arena = NULL;
    if (!err && arena_bytes > arena_limit) err = MF_ENOMEM;
    if (!err) {
        arena = aligned_alloc(16, arena_bytes ? (arena_bytes + 15) / 16 * 16 : 16);
        err = mf_model_bind(&m, arena, arena_bytes);
    }
    if (!err) {
        mf_tensor *in = mf_model_input(&m, 0), *out = mf_model_output(&m, 0);
        if (mf_tensor_elements(in) != (size_t)(h * w * 3)) err = MF_EINVAL;
        if (!err && input) memcpy(in->data, input, (size_t)(h * w * 3) * sizeof(float));
        if (!err) err = mf_model_run(&m);
        if (!err && output) {
            if (mf_tensor_elements(out) != output_count) err = MF_EINVAL;
            else memcpy(output, out->data, output_count * sizeof(float));
        }
    }
    free(arena);
    free(ws);
    return err;
}

static void matches_pytorch_at(int32_t h, int32_t w)
{
    char name[64];
    size_t model_size, in_size, want_size;
    snprintf(name, sizeof name, "tiny_%dx%d.mfm", h, w);
    void *file = mf_test_load_fixture(fixture_dir, name, &model_size);
    snprintf(name, sizeof name, "tiny_%dx%d_input.f32", h, w);
    float *input = mf_test_load_fixture(fixture_dir, name, &in_size);
    snprintf(name, sizeof name, "tiny_%dx%d_expected.f32", h, w);
    float *want = mf_test_load_fixture(fixture_dir, name, &want_size);
    MF_CHECK(file && input && want);
    if (file && input && want) {
        uint8_t *blob = mf_test_aligned_copy(file, model_size);
        size_t n = want_size / sizeof(float);
        float *got = calloc(n, sizeof(float));
        MF_CHECK_EQ_INT(run_model(blob, model_size, h, w, input, got, n, (size_t)1 << 26), MF_OK);
        mf_check_floats("tiny output", got, want, n, 1e-5, 1e-4);
        free(got);
        free(blob);
    }
    free(file);
    free(input);
    free(want);
}

static void tiny_model_matches_pytorch(void)
{
    matches_pytorch_at(9, 12);
    matches_pytorch_at(16, 8);
}

/* The planner never gives two tensors that are alive at the same op
 * overlapping bytes, and the peak is no larger than the sum of all. */
static void arena_plan_has_no_live_overlap(void)
{
    size_t size;
    void *file = mf_test_load_fixture(fixture_dir, "tiny_9x12.mfm", &size);
    MF_CHECK(file != NULL);
    if (!file) return;
    uint8_t *blob = mf_test_aligned_copy(file, size);
    mf_model m;
    MF_CHECK_EQ_INT(mf_model_open(&m, blob, size), MF_OK);
    size_t ws_bytes = mf_model_workspace_bytes(&m), arena = 0, total = 0;
    void *ws = malloc(ws_bytes);
    int32_t dims[4] = {1, 9, 12, 3};
    MF_CHECK_EQ_INT(mf_model_plan(&m, ws, ws_bytes, dims, 4, &arena), MF_OK);
    int overlaps = 0;
    for (uint32_t a = 0; a < m.tensor_count; a++) {
        const mf_tensor_plan *pa = &m.plans[a];
        if (pa->is_const || pa->alias_of >= 0 || pa->last_use < 0) continue;
        total += pa->bytes;
        MF_CHECK(pa->offset + pa->bytes <= arena);
        for (uint32_t b = a + 1; b < m.tensor_count; b++) {
            const mf_tensor_plan *pb = &m.plans[b];
            if (pb->is_const || pb->alias_of >= 0 || pb->last_use < 0) continue;
            int live = pa->first_use <= pb->last_use && pb->first_use <= pa->last_use;
            int space = pa->offset < pb->offset + pb->bytes && pb->offset < pa->offset + pa->bytes;
            overlaps += live && space;
        }
    }
    MF_CHECK_EQ_INT(overlaps, 0);
    MF_CHECK(arena > 0 && arena < total); /* reuse happened */
    const mf_model_stats *st = mf_model_get_stats(&m);
    MF_CHECK_EQ_INT(st->arena_bytes, arena);
    MF_CHECK(st->param_count > 1000 && st->macs > 10000);
    MF_CHECK(strcmp(mf_model_meta(&m, "kind"), "test") == 0);
    MF_CHECK(mf_model_meta(&m, "absent") == NULL);
    /* Wrong input shapes are refused, not run. */
    int32_t bad_channels[4] = {1, 9, 12, 4};
    MF_CHECK_EQ_INT(mf_model_plan(&m, ws, ws_bytes, bad_channels, 4, &arena), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_model_plan(&m, ws, ws_bytes, dims, 3, &arena), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_model_plan(&m, ws, ws_bytes - 17, dims, 4, &arena), MF_ENOMEM);
    MF_CHECK_EQ_INT(mf_model_run(&m), MF_ESTATE);
    free(ws);
    free(blob);
    free(file);
}

static void truncated_files_are_rejected(void)
{
    size_t size;
    void *file = mf_test_load_fixture(fixture_dir, "tiny_9x12.mfm", &size);
    MF_CHECK(file != NULL);
    if (!file) return;
    int accepted = 0;
    for (size_t n = 0; n < size; n++) {
        uint8_t *blob = mf_test_aligned_copy(file, n);
        mf_model m;
        accepted += mf_model_open(&m, blob, n) == MF_OK;
        free(blob);
    }
    MF_CHECK_EQ_INT(accepted, 0);
    printf("rejected all %zu truncations\n", size);
    free(file);
}

/* Random damage: with a stale CRC every flip is caught; with the CRC
 * recomputed (a malicious file), the structural checks must hold, and
 * whatever passes them must plan and run without touching memory it
 * does not own (ASan and valgrind watch this). */
static void corrupted_files_never_crash(void)
{
    size_t size;
    void *file = mf_test_load_fixture(fixture_dir, "tiny_9x12.mfm", &size);
    MF_CHECK(file != NULL);
    if (!file) return;
    uint32_t seed = 12345;
    int stale_accepted = 0, rejected = 0, ran = 0;
    float out[64];
    float input[9 * 12 * 3] = {0};
    /* MF_FUZZ_TRIALS raises the count for a longer local soak. */
    const char *env = getenv("MF_FUZZ_TRIALS");
    int trials = env && atoi(env) > 0 ? atoi(env) : 3000;
    for (int trial = 0; trial < trials; trial++) {
        uint8_t *blob = mf_test_aligned_copy(file, size);
        int flips = 1 + trial % 3;
        for (int f = 0; f < flips; f++) {
            seed = seed * 1103515245u + 12345u;
            /* Most damage lands in the header, records and tables, where the
             * parser's decisions are; some in the weights. */
            size_t span = trial % 4 == 0 ? size : (size < 4096 ? size : 4096);
            size_t pos = (seed >> 8) % span;
            seed = seed * 1103515245u + 12345u;
            blob[pos] ^= (uint8_t)(1u << ((seed >> 16) % 8));
        }
        mf_model m;
        stale_accepted += mf_model_open(&m, blob, size) == MF_OK && memcmp(blob, file, size) != 0;
        mf_test_patch_model_crc(blob, size);
        int err = run_model(blob, size, 9, 12, input, out, 12, (size_t)1 << 24);
        if (err == MF_OK) ran++;
        else rejected++;
        free(blob);
    }
    MF_CHECK_EQ_INT(stale_accepted, 0);
    MF_CHECK(rejected > 0);
    printf("re-checksummed corruptions: %d rejected, %d ran\n", rejected, ran);
    free(file);
}

static void bad_arguments_are_refused(void)
{
    mf_model m;
    uint8_t buf[128] __attribute__((aligned(16))) = {0};
    MF_CHECK_EQ_INT(mf_model_open(NULL, buf, sizeof buf), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_model_open(&m, NULL, 10), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_model_open(&m, buf + 1, 100), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_model_open(&m, buf, sizeof buf), MF_ECORRUPT);
    MF_CHECK_EQ_INT(mf_model_workspace_bytes(&m), 0);
    MF_CHECK_EQ_INT(mf_model_run(&m), MF_ESTATE);
    MF_CHECK(mf_model_input(&m, 0) == NULL);
}

int main(void)
{
    const char *build = getenv("MCUFACE_BUILD");
    snprintf(fixture_dir, sizeof fixture_dir, "%s/fixtures/tiny", build ? build : "build");
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/tiny_9x12.mfm", fixture_dir);
    FILE *f = fopen(probe, "rb");
    if (!f) mf_test_skip("no tiny model fixtures (tools/fixtures/make_tiny_model.py needs python3-torch)");
    fclose(f);
    MF_RUN(bad_arguments_are_refused);
    MF_RUN(tiny_model_matches_pytorch);
    MF_RUN(arena_plan_has_no_live_overlap);
    MF_RUN(truncated_files_are_rejected);
    MF_RUN(corrupted_files_never_crash);
    return mf_test_summary();
}
