#include "cli_recognizer.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
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

int cli_embed_face(cli_recognizer *cr, const mf_image *image, const mf_face *face, float *embedding)
{
    mf_image aligned;
    int32_t dim = mf_recognizer_dim(&cr->rec);
    int err = mf_image_init(&aligned, cr->aligned, sizeof cr->aligned, MF_ALIGNED_SIZE, MF_ALIGNED_SIZE, 3);
    if (!err) err = mf_align_face(image, face->landmarks, &aligned);
    if (!err) err = mf_embed(&cr->rec, &aligned, embedding, dim);
    if (err || !cr->flip) return err;
    for (int y = 0; y < MF_ALIGNED_SIZE; y++) {
        uint8_t *row = cr->aligned + (size_t)y * MF_ALIGNED_SIZE * 3;
        for (int x = 0; x < MF_ALIGNED_SIZE / 2; x++)
            for (int c = 0; c < 3; c++) {
                uint8_t t = row[3 * x + c];
                row[3 * x + c] = row[3 * (MF_ALIGNED_SIZE - 1 - x) + c];
                row[3 * (MF_ALIGNED_SIZE - 1 - x) + c] = t;
            }
    }
    float mirrored[MF_EMBEDDING_MAX_DIM];
    err = mf_embed(&cr->rec, &aligned, mirrored, dim);
    if (err) return err;
    double sum = 0;
    for (int32_t i = 0; i < dim; i++) {
        embedding[i] += mirrored[i];
        sum += (double)embedding[i] * embedding[i];
    }
    float inv = sum > 0 ? (float)(1.0 / sqrt(sum)) : 0.0f;
    for (int32_t i = 0; i < dim; i++) embedding[i] *= inv;
    return MF_OK;
}
