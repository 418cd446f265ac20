#include "cli_liveness.h"
#include "cli.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

/* The threshold a model file brings: MF_OK without one, MF_ECORRUPT for a
 * value that is not a live score in [0, 1]. */
static int stored_threshold(const mf_mapped_file *file, float *threshold, int *found)
{
    mf_model model;
    *found = 0;
    if (mf_model_open(&model, file->data, file->size)) return MF_OK; /* mf_liveness_open has said why */
    const char *text = mf_model_meta(&model, CLI_LIVENESS_THRESHOLD_META);
    if (!text) return MF_OK;
    char *end;
    *threshold = strtof(text, &end);
    if (end == text || *end || !(*threshold >= 0.0f && *threshold <= 1.0f)) return MF_ECORRUPT;
    *found = 1;
    return MF_OK;
}

int cli_liveness_open(cli_liveness *cl, const char *const *names_or_files, int count, cli_precision precision)
{
    memset(cl, 0, sizeof *cl);
    static const char *const defaults[] = {CLI_LIVENESS_MODEL_V2, CLI_LIVENESS_MODEL_V1SE};
    if (!names_or_files) {
        names_or_files = defaults;
        count = 2;
    }
    if (count < 1 || count > MF_LIVENESS_MAX_MODELS) return MF_EINVAL;
    char paths[MF_LIVENESS_MAX_MODELS][8192];
    const char *names[MF_LIVENESS_MAX_MODELS];
    for (int i = 0; i < count; i++) {
        if (cli_model_resolve(names_or_files[i], precision, paths[i], sizeof paths[i])) return MF_ENOTFOUND;
        names[i] = paths[i];
    }
    const void *blobs[MF_LIVENESS_MAX_MODELS];
    size_t sizes[MF_LIVENESS_MAX_MODELS];
    int err = MF_OK;
    for (int i = 0; i < count; i++) {
        err = mf_map_file(names[i], &cl->files[i]);
        if (err) {
            fprintf(stderr, "mcuface: cannot read liveness model %s: %s\n", names[i], mf_status_str(err));
            cli_liveness_close(cl);
            return err;
        }
        blobs[i] = cl->files[i].data;
        sizes[i] = cl->files[i].size;
    }
    err = mf_liveness_open(&cl->lv, blobs, sizes, count);
    if (err) {
        fprintf(stderr, "mcuface: liveness models %s%s%s: %s\n", names[0], count > 1 ? ", " : "",
                count > 1 ? names[1] : "", mf_status_str(err));
        cli_liveness_close(cl);
        return err;
    }
    for (int i = 0; i < count; i++) {
        float threshold;
        int found;
        if (stored_threshold(&cl->files[i], &threshold, &found)) {
            fprintf(stderr, "mcuface: liveness model %s: %s is not a live score in [0, 1]\n", names[i],
                    CLI_LIVENESS_THRESHOLD_META);
            cli_liveness_close(cl);
            return MF_ECORRUPT;
        }
        if (found) {
            mf_liveness_set_threshold(&cl->lv, threshold);
            break;
        }
    }
    size_t ws = mf_liveness_workspace_bytes(&cl->lv), arena_bytes = 0;
    cl->workspace = aligned_alloc(16, round16(ws ? ws : 16));
    err = cl->workspace ? mf_liveness_plan(&cl->lv, cl->workspace, ws, &arena_bytes) : MF_ENOMEM;
    if (!err) {
        cl->arena = aligned_alloc(16, round16(arena_bytes));
        err = cl->arena ? mf_liveness_bind(&cl->lv, cl->arena, arena_bytes) : MF_ENOMEM;
    }
    if (err) {
        fprintf(stderr, "mcuface: liveness: %s\n", mf_status_str(err));
        cli_liveness_close(cl);
    }
    return err;
}

void cli_liveness_close(cli_liveness *cl)
{
    free(cl->arena);
    free(cl->workspace);
    for (int i = 0; i < MF_LIVENESS_MAX_MODELS; i++)
        if (cl->files[i].data) mf_unmap_file(&cl->files[i]);
    memset(cl, 0, sizeof *cl);
}

int cli_largest_face(const mf_face *faces, int count)
{
    int best = -1;
    float best_area = -1.0f;
    for (int i = 0; i < count; i++) {
        float area = (faces[i].box[2] - faces[i].box[0]) * (faces[i].box[3] - faces[i].box[1]);
        if (area > best_area) {
            best_area = area;
            best = i;
        }
    }
    return best;
}
