/* edgeface_xs_gamma_06_int8 (int8 with float islands) end to end: the C
 * runtime's embeddings of a few C-aligned faces must equal, bit for bit, those
 * of the independent numpy interpreter (tools/fixtures/int8_reference.py, via
 * make_edgeface_int8_fixture.py), and stay within MIN_COSINE of the float
 * model's. Skips when the models or the fixture are absent. */
#include "mf_test.h"
#include "model_files.h"
#include "mcuface/mf_model.h"
#include "mcuface/mf_status.h"
#include "nn/graph.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIDE 112
#define DIM 512
#define FACES 3
/* int8 vs float embedding cosine: measured 0.848 / 0.965 / 0.951 on these
 * three faces, 0.944 mean / 0.857 min on 50 other non-LFW faces (docs/INT8.md
 * "EdgeFace"; LFW accuracy is within 0.2 points all the same). A broken
 * island or scale drops it far below. */
#define MIN_COSINE 0.80

static char build_dir[4096];

/* Runs model file PATH on one 1x112x112x3 float input; writes DIM floats. */
static int run_model(const char *path, const float *input, float *output, size_t *arena_out)
{
    size_t size = 0;
    void *file = mf_test_read_file(path, &size);
    if (!file) return MF_EIO;
    uint8_t *blob = mf_test_aligned_copy(file, size);
    free(file);
    mf_model m;
    int err = mf_model_open(&m, blob, size);
    void *ws = NULL, *arena = NULL;
    size_t arena_bytes = 0;
    if (!err) {
        size_t ws_bytes = mf_model_workspace_bytes(&m);
        ws = malloc(ws_bytes);
        int32_t dims[4] = {1, SIDE, SIDE, 3};
        err = ws ? mf_model_plan(&m, ws, ws_bytes, dims, 4, &arena_bytes) : MF_ENOMEM;
    }
    if (!err) {
        arena = aligned_alloc(16, (arena_bytes + 15) / 16 * 16);
        err = arena ? mf_model_bind(&m, arena, arena_bytes) : MF_ENOMEM;
    }
    if (!err) {
        mf_tensor *in = mf_model_input(&m, 0), *out = mf_model_output(&m, 0);
        if (mf_tensor_elements(in) != (size_t)SIDE * SIDE * 3 || mf_tensor_elements(out) != DIM) err = MF_EINVAL;
        if (!err) memcpy(in->data, input, (size_t)SIDE * SIDE * 3 * sizeof(float));
        if (!err) err = mf_model_run(&m);
        if (!err) memcpy(output, out->data, DIM * sizeof(float));
    }
    if (arena_out) *arena_out = arena_bytes;
    free(arena);
    free(ws);
    free(blob);
    return err;
}

static double cosine(const float *a, const float *b)
{
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < DIM; i++) ab += (double)a[i] * b[i], aa += (double)a[i] * a[i], bb += (double)b[i] * b[i];
    return ab / sqrt(aa * bb);
}

static void test_matches_reference_and_float(void)
{
    char dir[4200], int8_path[4200], float_path[4200];
    snprintf(dir, sizeof dir, "%s/fixtures/edgeface_int8", build_dir);
    snprintf(int8_path, sizeof int8_path, "%s/models/edgeface_xs_gamma_06_int8.mfm", build_dir);
    snprintf(float_path, sizeof float_path, "%s/models/edgeface_xs_gamma_06.mfm", build_dir);
    size_t n_in = 0, n_emb = 0;
    float *inputs = mf_test_load_fixture(dir, "inputs.f32", &n_in);
    float *want = mf_test_load_fixture(dir, "embeddings.f32", &n_emb);
    MF_CHECK(inputs && want);
    MF_CHECK_EQ_INT(n_in, (size_t)FACES * SIDE * SIDE * 3 * sizeof(float));
    MF_CHECK_EQ_INT(n_emb, (size_t)FACES * DIM * sizeof(float));
    if (inputs && want && n_in == (size_t)FACES * SIDE * SIDE * 3 * sizeof(float) &&
        n_emb == (size_t)FACES * DIM * sizeof(float)) {
        static float got[DIM], ref[DIM];
        for (int f = 0; f < FACES; f++) {
            const float *x = inputs + (size_t)f * SIDE * SIDE * 3;
            size_t arena = 0;
            MF_CHECK_EQ_INT(run_model(int8_path, x, got, &arena), MF_OK);
            /* bit for bit: the float islands run in the C kernels' order in the reference too */
            MF_CHECK(mf_check_floats("int8 embedding vs reference", got, want + (size_t)f * DIM, DIM, 0.0, 0.0));
            MF_CHECK_EQ_INT(run_model(float_path, x, ref, NULL), MF_OK);
            double c = cosine(got, ref);
            printf("face %d: int8 vs float cosine %.4f (arena %zu bytes)\n", f, c, arena);
            MF_CHECK(c >= MIN_COSINE);
        }
    }
    free(inputs);
    free(want);
}

int main(void)
{
    const char *build = getenv("MCUFACE_BUILD");
    snprintf(build_dir, sizeof build_dir, "%s", build ? build : "build");
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/fixtures/edgeface_int8/embeddings.f32", build_dir);
    FILE *f = fopen(probe, "rb");
    if (!f) mf_test_skip("no edgeface_int8 fixture (needs build/models/edgeface_xs_gamma_06_int8.mfm)");
    fclose(f);
    MF_RUN(test_matches_reference_and_float);
    return mf_test_summary();
}
