/* The shipped int8 models (RetinaFace, YuNet, both MiniFASNets, EdgeFace)
 * give the same output bytes through the x86-64 twins at every instruction
 * set level this CPU runs as through the reference kernels (level scalar):
 * one deterministic input per model, in the pixel range the detectors and
 * recognizer see. Skips without MF_USE_X86 or without the converted models
 * (MCUFACE_BUILD/models, made by the build). */
#include "mf_test.h"
#include "model_files.h"
#include "mcuface/mf_model.h"
#include "mcuface/mf_status.h"
#include "nn/graph.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(MF_USE_X86) && MF_USE_X86
#include "nn/ops/x86/mf_x86_isa.h"

typedef struct model_case {
    const char *file;
    int32_t h, w;
} model_case;

static const model_case g_models[] = {
    {"retinaface_mnet025_int8.mfm", 240, 320}, {"yunet_int8.mfm", 256, 320},
    {"minifasnet_v2_int8.mfm", 80, 80},        {"minifasnet_v1se_int8.mfm", 80, 80},
    {"edgeface_xs_gamma_06_int8.mfm", 112, 112},
};

/* Every output of model BLOB on INPUT, concatenated into OUT (at most CAP bytes). */
/* RUN_LEVEL >= 0: the ISA limit moves there between the plan and the run
 * (weights packed at plan time for one level, run at another). */
static int g_run_level = -1;

static int run_outputs(const uint8_t *blob, size_t size, int32_t h, int32_t w, const float *input, uint8_t *out,
                       size_t cap, size_t *written)
{
    mf_model m;
    int err = mf_model_open(&m, blob, size);
    if (err) return err;
    size_t ws_bytes = mf_model_workspace_bytes(&m), arena_bytes = 0;
    void *ws = malloc(ws_bytes ? ws_bytes : 1), *arena = NULL;
    const int32_t dims[4] = {1, h, w, 3};
    err = mf_model_plan(&m, ws, ws_bytes, dims, 4, &arena_bytes);
    if (!err) {
        arena = aligned_alloc(16, arena_bytes ? (arena_bytes + 15) / 16 * 16 : 16);
        err = mf_model_bind(&m, arena, arena_bytes);
    }
    if (!err) {
        mf_tensor *in = mf_model_input(&m, 0);
        const size_t n = (size_t)h * w * 3;
        if (mf_tensor_elements(in) != n) err = MF_EINVAL;
        if (!err && in->dtype == MF_DTYPE_FLOAT32)
            memcpy(in->data, input, n * sizeof(float));
        else if (!err && (in->dtype == MF_DTYPE_INT8 || in->dtype == MF_DTYPE_UINT8)) /* a quantized input */
            for (size_t j = 0; j < n; j++) ((uint8_t *)in->data)[j] = (uint8_t)((int)input[j] ^ (int)(j * 7));
        else if (!err)
            err = MF_EINVAL;
        if (!err && g_run_level >= 0) mf_x86_isa_set_limit((mf_x86_isa)g_run_level);
        if (!err) err = mf_model_run(&m);
        *written = 0;
        for (int o = 0; !err && o < (int)mf_model_output_count(&m); o++) {
            const mf_tensor *t = mf_model_output(&m, o);
            const size_t bytes = mf_tensor_elements(t) * (t->dtype == MF_DTYPE_INT8 ? 1 : sizeof(float));
            if (*written + bytes > cap) {
                err = MF_ENOMEM;
                break;
            }
            memcpy(out + *written, t->data, bytes);
            *written += bytes;
        }
    }
    free(arena);
    free(ws);
    return err;
}

int main(void)
{
    const char *build = getenv("MCUFACE_BUILD");
    if (mf_x86_isa_detected() == MF_X86_ISA_SCALAR) mf_test_skip("this CPU has no AVX2");
    if (!build) mf_test_skip("MCUFACE_BUILD is not set");
    enum { CAP = 8 << 20 };
    uint8_t *want = malloc(CAP), *got = malloc(CAP);
    int ran = 0;
    for (size_t i = 0; i < sizeof g_models / sizeof g_models[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/models/%s", build, g_models[i].file);
        size_t size = 0;
        void *file = mf_test_read_file(path, &size);
        if (!file) {
            printf("missing %s\n", path);
            continue;
        }
        uint8_t *blob = mf_test_aligned_copy(file, size);
        free(file);
        const size_t n = (size_t)g_models[i].h * g_models[i].w * 3;
        float *input = malloc(n * sizeof(float));
        uint32_t state = 0x9e3779b9u + (uint32_t)i;
        for (size_t j = 0; j < n; j++) { /* smooth-ish pixels 0..255: real activations, not noise alone */
            state = state * 1664525u + 1013904223u;
            input[j] = (float)((j / 3 % 97) * 2 + (state >> 28));
        }
        size_t want_bytes = 0, got_bytes = 0;
        mf_x86_isa_set_limit(MF_X86_ISA_SCALAR);
        MF_CHECK_EQ_INT(run_outputs(blob, size, g_models[i].h, g_models[i].w, input, want, CAP, &want_bytes), MF_OK);
        for (int level = MF_X86_ISA_AVX2; level <= (int)mf_x86_isa_detected(); level++) {
            mf_x86_isa_set_limit((mf_x86_isa)level);
            MF_CHECK_EQ_INT(run_outputs(blob, size, g_models[i].h, g_models[i].w, input, got, CAP, &got_bytes),
                            MF_OK);
            MF_CHECK_EQ_INT(got_bytes, want_bytes);
            const int same = got_bytes == want_bytes && memcmp(got, want, want_bytes) == 0;
            MF_CHECK(same);
            printf("%s at %s: %zu output bytes %s the reference kernels'\n", g_models[i].file,
                   mf_x86_isa_name((mf_x86_isa)level), got_bytes, same ? "equal to" : "DIFFER from");
        }
        if (mf_x86_isa_detected() >= MF_X86_ISA_AVX512) { /* packed for AVX-512 at plan time, run at AVX2 */
            mf_x86_isa_set_limit(MF_X86_ISA_AVX512);
            g_run_level = MF_X86_ISA_AVX2;
            MF_CHECK_EQ_INT(run_outputs(blob, size, g_models[i].h, g_models[i].w, input, got, CAP, &got_bytes),
                            MF_OK);
            g_run_level = -1;
            const int same = got_bytes == want_bytes && memcmp(got, want, want_bytes) == 0;
            MF_CHECK(same);
            printf("%s planned at avx512, run at avx2: %s the reference kernels'\n", g_models[i].file,
                   same ? "equal to" : "DIFFER from");
        }
        ran++;
        free(input);
        free(blob);
    }
    free(want);
    free(got);
    if (!ran) mf_test_skip("no converted int8 models under MCUFACE_BUILD/models");
    return mf_test_summary();
}
#else
int main(void)
{
    mf_test_skip("built without MF_USE_X86 (the MF_X86_SIMD option)");
    return mf_test_summary();
}
#endif
