/* Recognizer models: preprocessing from the file's metadata, one run per
 * aligned face, L2 normalisation. */
#include "mcuface/mf_recognize.h"
#include "mcuface/mf_status.h"
#include "vision/to_tensor.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Parses "a,b,c" into three floats; returns MF_OK or MF_ECORRUPT. */
static int parse_triplet(const char *text, float out[3])
{
    if (!text) return MF_ECORRUPT;
    for (int i = 0; i < 3; i++) {
        char *end;
        out[i] = strtof(text, &end);
        if (end == text || !isfinite(out[i])) return MF_ECORRUPT;
        if (i < 2) {
            if (*end != ',') return MF_ECORRUPT;
            text = end + 1;
        } else if (*end) {
            return MF_ECORRUPT;
        }
    }
    return MF_OK;
}

int mf_recognizer_open(mf_recognizer *rec, const void *blob, size_t size)
{
    if (!rec) return MF_EINVAL;
    memset(rec, 0, sizeof *rec);
    int err = mf_model_open(&rec->model, blob, size);
    if (err) return err;
    const char *kind = mf_model_meta(&rec->model, "kind");
    const char *order = mf_model_meta(&rec->model, "input_order");
    const char *threshold = mf_model_meta(&rec->model, "verify_threshold");
    if (!kind || strcmp(kind, "recognizer") != 0 || rec->model.input_count != 1 || rec->model.output_count != 1)
        return MF_EUNSUPPORTED;
    if (parse_triplet(mf_model_meta(&rec->model, "input_mean"), rec->mean) ||
        parse_triplet(mf_model_meta(&rec->model, "input_scale"), rec->scale) || !order ||
        (strcmp(order, "rgb") != 0 && strcmp(order, "bgr") != 0))
        return MF_ECORRUPT;
    rec->swap_rb = strcmp(order, "bgr") == 0;
    rec->threshold = threshold ? strtof(threshold, NULL) : 0.3f;
    int32_t dims[4];
    if (mf_model_input_dims(&rec->model, 0, dims) != 4 || dims[1] != MF_ALIGNED_SIZE || dims[2] != MF_ALIGNED_SIZE ||
        dims[3] != 3)
        return MF_EUNSUPPORTED;
    rec->state = 1;
    return MF_OK;
}

size_t mf_recognizer_workspace_bytes(const mf_recognizer *rec)
{
    return rec && rec->state >= 1 ? mf_model_workspace_bytes(&rec->model) : 0;
}

int mf_recognizer_plan(mf_recognizer *rec, void *workspace, size_t workspace_bytes, size_t *arena_bytes)
{
    if (!rec || rec->state < 1 || !arena_bytes) return MF_EINVAL;
    rec->state = 1;
    int32_t dims[4] = {1, MF_ALIGNED_SIZE, MF_ALIGNED_SIZE, 3};
    int err = mf_model_plan(&rec->model, workspace, workspace_bytes, dims, 4, arena_bytes);
    if (err) return err;
    const mf_tensor *out = mf_model_output(&rec->model, 0);
    if (out->rank != 2 || out->dims[0] != 1 || out->dims[1] < 1 || out->dims[1] > MF_EMBEDDING_MAX_DIM ||
        out->dtype != MF_DTYPE_FLOAT32)
        return MF_EUNSUPPORTED;
    int32_t in_dtype = mf_model_input(&rec->model, 0)->dtype;
    if (in_dtype != MF_DTYPE_FLOAT32 && in_dtype != MF_DTYPE_INT8) return MF_EUNSUPPORTED;
    rec->dim = out->dims[1];
    rec->state = 2;
    return MF_OK;
}

int mf_recognizer_bind(mf_recognizer *rec, void *arena, size_t arena_bytes)
{
    if (!rec || rec->state < 2) return MF_ESTATE;
    int err = mf_model_bind(&rec->model, arena, arena_bytes);
    if (!err) rec->state = 3;
    return err;
}

int32_t mf_recognizer_dim(const mf_recognizer *rec) { return rec && rec->state >= 2 ? rec->dim : 0; }

float mf_recognizer_threshold(const mf_recognizer *rec) { return rec ? rec->threshold : 0.0f; }

int mf_recognizer_set_threshold(mf_recognizer *rec, float threshold)
{
    if (!rec || !(threshold >= -1.0f && threshold <= 1.0f)) return MF_EINVAL;
    rec->threshold = threshold;
    return MF_OK;
}

int mf_embed(mf_recognizer *rec, const mf_image *aligned, float *embedding, int32_t dim)
{
    if (!rec || rec->state < 3) return MF_ESTATE;
    if (!aligned || !embedding || dim < rec->dim || aligned->width != MF_ALIGNED_SIZE ||
        aligned->height != MF_ALIGNED_SIZE || aligned->channels != 3)
        return MF_EINVAL;
    mf_tensor *input = mf_model_input(&rec->model, 0);
    /* int8 recognizers take the face already quantized (as mf_detect does) */
    int err = input->dtype == MF_DTYPE_INT8
                  ? mf_image_to_tensor_s8(aligned, input->data, rec->mean, rec->scale, rec->swap_rb, input->scale,
                                          input->zero_point)
                  : mf_image_to_tensor_f32(aligned, input->data, rec->mean, rec->scale, rec->swap_rb);
    if (!err) err = mf_model_run(&rec->model);
    if (err) return err;
    const float *out = mf_model_output(&rec->model, 0)->data;
    double sum = 0.0;
    for (int32_t i = 0; i < rec->dim; i++) sum += (double)out[i] * out[i];
    float inv = sum > 0.0 ? (float)(1.0 / sqrt(sum)) : 0.0f;
    for (int32_t i = 0; i < rec->dim; i++) embedding[i] = out[i] * inv;
    return MF_OK;
}

float mf_cosine_similarity(const float *a, const float *b, int32_t dim)
{
    double dot = 0.0;
    for (int32_t i = 0; i < dim; i++) dot += (double)a[i] * b[i];
    return (float)dot;
}

const mf_model_stats *mf_recognizer_stats(const mf_recognizer *rec)
{
    return rec ? mf_model_get_stats(&rec->model) : NULL;
}
