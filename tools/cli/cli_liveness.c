#include "cli_liveness.h"
#include "cli.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

int cli_liveness_open(cli_liveness *cl, const char *const *paths, int count)
{
    memset(cl, 0, sizeof *cl);
    static char defaults[MF_LIVENESS_MAX_MODELS][8192];
    const char *names[MF_LIVENESS_MAX_MODELS];
    if (!paths) {
        snprintf(defaults[0], sizeof defaults[0], "%s", cli_model_path("minifasnet_v2"));
        snprintf(defaults[1], sizeof defaults[1], "%s", cli_model_path("minifasnet_v1se"));
        names[0] = defaults[0];
        names[1] = defaults[1];
        count = 2;
    } else {
        for (int i = 0; i < count && i < MF_LIVENESS_MAX_MODELS; i++) names[i] = paths[i];
    }
    if (count < 1 || count > MF_LIVENESS_MAX_MODELS) return MF_EINVAL;
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
