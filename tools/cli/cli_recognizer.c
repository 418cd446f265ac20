#include "cli_recognizer.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_recognizer_open(cli_recognizer *cr, const char *name_or_file, cli_precision precision)
{
    memset(cr, 0, sizeof *cr);
    char path[8192];
    if (cli_model_resolve(name_or_file ? name_or_file : CLI_DEFAULT_RECOGNIZER, precision, path, sizeof path))
        return MF_ENOTFOUND;
    int err = mf_map_file(path, &cr->file);
    if (err) {
        fprintf(stderr, "mcuface: cannot read recognizer model %s: %s\n", path, mf_status_str(err));
        return err;
    }
    size_t arena_bytes = 0;
    err = mf_recognizer_open(&cr->rec, cr->file.data, cr->file.size);
    if (!err) {
        size_t ws = mf_recognizer_workspace_bytes(&cr->rec);
        cr->workspace = malloc(ws);
        err = cr->workspace ? mf_recognizer_plan(&cr->rec, cr->workspace, ws, &arena_bytes) : MF_ENOMEM;
    }
    if (!err) {
        cr->arena = aligned_alloc(16, (arena_bytes + 15) / 16 * 16 + 16);
        err = cr->arena ? mf_recognizer_bind(&cr->rec, cr->arena, arena_bytes) : MF_ENOMEM;
    }
    if (err) {
        fprintf(stderr, "mcuface: recognizer model %s: %s\n", path, mf_status_str(err));
        cli_recognizer_close(cr);
    }
    return err;
}

void cli_recognizer_close(cli_recognizer *cr)
{
    free(cr->arena);
    free(cr->workspace);
    mf_unmap_file(&cr->file);
    memset(cr, 0, sizeof *cr);
}
