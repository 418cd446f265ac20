#include "cli_pipeline.h"
#include "cli_liveness.h"
#include "cli_recognizer.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

static int map_model(const char *name_or_file, cli_precision precision, mf_mapped_file *file, char *path,
                     size_t path_size, const char *role)
{
    if (cli_model_resolve(name_or_file, precision, path, path_size)) return 1;
    int err = mf_map_file(path, file);
    if (err) fprintf(stderr, "mcuface: cannot read %s model %s: %s\n", role, path, mf_status_str(err));
    return err != MF_OK;
}

/* After mf_pipeline_open failed with ERR: the first model file that does not
 * open on its own is the one to name. */
static void report_open_error(const cli_pipeline *cp, const mf_pipeline_models *pm, int err)
{
    const mf_pipeline_blob *blobs[4] = {&pm->detector, &pm->liveness[0], &pm->liveness[1], &pm->recognizer};
    static const char *const roles[4] = {"detector", "liveness", "liveness", "recognizer"};
    for (int i = 0; i < 4; i++) {
        mf_model model;
        int e = blobs[i]->data ? mf_model_open(&model, blobs[i]->data, blobs[i]->size) : MF_OK;
        if (e) {
            fprintf(stderr, "mcuface: %s model %s: %s\n", roles[i], cp->paths[i], mf_status_str(e));
            return;
        }
    }
    if (err == MF_EUNSUPPORTED && pm->recognizer.data)
        fprintf(stderr, "mcuface: recognizer %s: its embeddings do not fit the store (%d values)\n", cp->paths[3],
                MF_STORE_DIM);
    else if (err == MF_ECORRUPT && pm->liveness_count)
        fprintf(stderr, "mcuface: liveness model %s: its live_threshold is not a number in [0, 1]\n", cp->paths[1]);
    else cli_fail("pipeline", err);
}

int cli_pipeline_open(cli_pipeline *cp, const cli_pipeline_spec *spec, mf_store *store, const mf_pipeline_options *opt)
{
    memset(cp, 0, sizeof *cp);
    const char *lv0 = spec->liveness_models[0] ? spec->liveness_models[0] : CLI_LIVENESS_MODEL_V2;
    const char *lv1 = spec->liveness_models[1] ? spec->liveness_models[1] : CLI_LIVENESS_MODEL_V1SE;
    int failed = map_model(spec->detector ? spec->detector : CLI_DEFAULT_DETECTOR, spec->precision, &cp->detector,
                           cp->paths[0], sizeof cp->paths[0], "detector");
    if (!failed && spec->liveness)
        failed = map_model(lv0, spec->precision, &cp->liveness[0], cp->paths[1], sizeof cp->paths[1], "liveness") ||
                 map_model(lv1, spec->precision, &cp->liveness[1], cp->paths[2], sizeof cp->paths[2], "liveness");
    if (!failed && spec->recognizer)
        failed = map_model(spec->recognizer_name ? spec->recognizer_name : CLI_DEFAULT_RECOGNIZER, spec->precision,
                           &cp->recognizer, cp->paths[3], sizeof cp->paths[3], "recognizer");
    if (failed) {
        cli_pipeline_close(cp);
        return 1;
    }
    mf_pipeline_models pm;
    memset(&pm, 0, sizeof pm);
    pm.detector = (mf_pipeline_blob){cp->detector.data, cp->detector.size};
    if (spec->liveness) {
        pm.liveness[0] = (mf_pipeline_blob){cp->liveness[0].data, cp->liveness[0].size};
        pm.liveness[1] = (mf_pipeline_blob){cp->liveness[1].data, cp->liveness[1].size};
        pm.liveness_count = 2;
    }
    if (spec->recognizer) pm.recognizer = (mf_pipeline_blob){cp->recognizer.data, cp->recognizer.size};
    mf_pipeline_options o = opt ? *opt : mf_pipeline_default_options();
    o.liveness = spec->liveness;
    if (!spec->recognizer) o.recognize = 0;
    int err = mf_pipeline_open(&cp->pipe, &pm, store, &o);
    if (!err) {
        size_t ws = mf_pipeline_workspace_bytes(&cp->pipe);
        cp->workspace = aligned_alloc(16, round16(ws ? ws : 1));
        if (!cp->workspace) err = MF_ENOMEM;
    }
    if (err) {
        if (err == MF_ENOMEM) cli_fail("pipeline", err);
        else report_open_error(cp, &pm, err);
        cli_pipeline_close(cp);
        return 1;
    }
    return 0;
}

void cli_pipeline_close(cli_pipeline *cp)
{
    free(cp->arena);
    free(cp->workspace);
    mf_unmap_file(&cp->detector);
    mf_unmap_file(&cp->liveness[0]);
    mf_unmap_file(&cp->liveness[1]);
    mf_unmap_file(&cp->recognizer);
    memset(cp, 0, sizeof *cp);
}

int cli_pipeline_plan(cli_pipeline *cp, int32_t width, int32_t height)
{
    if (width == cp->plan_width && height == cp->plan_height) return 0;
    cp->plan_width = cp->plan_height = 0;
    size_t arena_bytes = 0;
    int err = mf_pipeline_plan(&cp->pipe, width, height, MF_PIXEL_RGB888, cp->workspace,
                               mf_pipeline_workspace_bytes(&cp->pipe), &arena_bytes);
    if (!err && arena_bytes > cp->arena_capacity) {
        free(cp->arena);
        cp->arena_capacity = 0;
        cp->arena = aligned_alloc(16, round16(arena_bytes));
        if (!cp->arena) err = MF_ENOMEM;
        else cp->arena_capacity = round16(arena_bytes);
    }
    if (!err) err = mf_pipeline_bind(&cp->pipe, cp->arena, cp->arena_capacity);
    if (err == MF_EUNSUPPORTED) {
        fprintf(stderr, "mcuface: recognizer %s: its embeddings do not fit the store (%d values)\n", cp->paths[3],
                MF_STORE_DIM);
        return 1;
    }
    if (err) {
        char what[80];
        snprintf(what, sizeof what, "pipeline plan for %dx%d images", (int)width, (int)height);
        return cli_fail(what, err);
    }
    cp->plan_width = width;
    cp->plan_height = height;
    return 0;
}

int cli_pipeline_image(cli_pipeline *cp, const mf_image *image, const char *what, mf_pipeline_result *out)
{
    if (cli_pipeline_plan(cp, image->width, image->height)) return 1;
    mf_frame frame;
    int err = mf_frame_from_image(image, &frame);
    if (!err) err = mf_pipeline_process(&cp->pipe, &frame, out);
    return err ? cli_fail(what, err) : 0;
}

int cli_pipeline_embed_face(cli_pipeline *cp, const mf_image *image, const mf_face *face, float *embedding)
{
    if (cli_pipeline_plan(cp, image->width, image->height)) return MF_EINVAL;
    mf_frame frame;
    int err = mf_frame_from_image(image, &frame);
    return err ? err : mf_pipeline_embed_face(&cp->pipe, &frame, face, embedding);
}
