/* YuNet detection: zero-padded preprocessing, decoding of the cls / obj /
 * bbox / kps maps at strides 8, 16, 32 (OpenCV FaceDetectorYN's formula for
 * the 2023mar export) and greedy NMS, around a model file written by
 * tools/convert/convert_yunet.py (docs/models/YUNET.md). */
#include "face/detect_yunet.h"
#include "mcuface/mf_status.h"
#include "nn/ops/ref/mf_math.h"
#include "vision/nms.h"
#include "vision/resize_to_tensor.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LEVELS 3
#define MULTIPLE 32 /* the coarsest stride: every level's grid is exact */
static const int32_t level_strides[LEVELS] = {8, 16, 32};
enum { OUT_CLS, OUT_OBJ, OUT_BBOX, OUT_KPS, OUTPUTS };
static const int32_t output_widths[OUTPUTS] = {1, 1, 4, 10};

/* A cell above the score threshold; decoded only if it survives top-k. */
typedef struct yunet_candidate {
    mf_box box; /* score set first; corners once it survives top-k */
    int32_t cell;
    uint32_t suppressed;
} yunet_candidate;

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

int32_t mf_yunet_padded(int32_t side) { return (side + MULTIPLE - 1) / MULTIPLE * MULTIPLE; }

int mf_yunet_open(mf_detector *det)
{
    if (det->model.output_count != OUTPUTS || det->model.input_count != 1) return MF_EUNSUPPORTED;
    det->mean[0] = det->mean[1] = det->mean[2] = 0.0f; /* raw 0..255 */
    det->swap_rb = 1;                                  /* BGR, as the model was trained */
    return MF_OK;
}

static int32_t count_cells(int32_t padded_w, int32_t padded_h)
{
    int32_t n = 0;
    for (int l = 0; l < LEVELS; l++) n += (padded_h / level_strides[l]) * (padded_w / level_strides[l]);
    return n;
}

int mf_yunet_plan(mf_detector *det, int32_t net_width, int32_t net_height, void *workspace, size_t workspace_bytes,
                  size_t *arena_bytes)
{
    int32_t pw = mf_yunet_padded(net_width), ph = mf_yunet_padded(net_height);
    int32_t dims[4] = {1, ph, pw, 3};
    size_t model_arena = 0;
    int err = mf_model_plan(&det->model, workspace, workspace_bytes, dims, 4, &model_arena);
    if (err) return err;
    det->anchor_count = count_cells(pw, ph);
    for (int i = 0; i < OUTPUTS; i++) {
        const mf_tensor *t = mf_model_output(&det->model, i);
        if (t->rank != 3 || t->dims[1] != det->anchor_count || t->dims[2] != output_widths[i] ||
            t->dtype != MF_DTYPE_FLOAT32)
            return MF_EUNSUPPORTED;
    }
    int32_t in_dtype = mf_model_input(&det->model, 0)->dtype;
    if (in_dtype != MF_DTYPE_FLOAT32 && in_dtype != MF_DTYPE_INT8) return MF_EUNSUPPORTED;
    det->net_width = net_width;
    det->net_height = net_height;
    det->model_arena_bytes = align16(model_arena);
    det->candidate_bytes = align16((size_t)det->anchor_count * sizeof(yunet_candidate));
    *arena_bytes = det->model_arena_bytes + det->candidate_bytes;
    det->state = 2;
    return MF_OK;
}

/* Moves the W x H image written at the start of BASE (ELEM-byte channels) to
 * the top-left of a PW x PH tensor and fills the rest with ZERO (one element
 * of ELEM bytes). Rows move last to first, so none is overwritten before it
 * moved (row r's new place starts at or after its old one). */
static void pad_in_place(uint8_t *base, int32_t w, int32_t h, int32_t pw, int32_t ph, const void *zero, size_t elem)
{
    size_t row = (size_t)w * 3 * elem, prow = (size_t)pw * 3 * elem;
    for (int32_t r = h - 1; r >= 0; r--) {
        uint8_t *dst = base + (size_t)r * prow;
        memmove(dst, base + (size_t)r * row, row);
        for (size_t o = row; o < prow; o += elem) memcpy(dst + o, zero, elem);
    }
    for (size_t o = (size_t)h * prow; o < (size_t)ph * prow; o += elem) memcpy(base + o, zero, elem);
}

int mf_yunet_preprocess(mf_detector *det, const mf_frame *frame)
{
    static const float unit_scale[3] = {1.0f, 1.0f, 1.0f};
    mf_tensor *input = mf_model_input(&det->model, 0);
    int32_t w = det->net_width, h = det->net_height;
    int32_t pw = mf_yunet_padded(w), ph = mf_yunet_padded(h);
    if (input->dtype == MF_DTYPE_INT8) {
        /* the int8 model takes the image already quantized; padding is pixel 0 */
        int err = mf_frame_resize_to_tensor_s8(frame, w, h, det->mean, unit_scale, det->swap_rb, input->scale,
                                               input->zero_point, input->data);
        if (err) return err;
        int32_t zp = input->zero_point < -128 ? -128 : input->zero_point > 127 ? 127 : input->zero_point;
        int8_t zero = (int8_t)zp;
        pad_in_place(input->data, w, h, pw, ph, &zero, 1);
        return MF_OK;
    }
    int err = mf_frame_resize_to_tensor_f32(frame, w, h, det->mean, unit_scale, det->swap_rb, input->data);
    if (err) return err;
    float zero = 0.0f;
    pad_in_place(input->data, w, h, pw, ph, &zero, sizeof zero);
    return MF_OK;
}

/* Stride, row and column of CELL (stride 8 cells first, each level row-major). */
static void cell_position(const mf_detector *det, int32_t cell, float *stride, float *row, float *col)
{
    int32_t pw = mf_yunet_padded(det->net_width), ph = mf_yunet_padded(det->net_height);
    for (int l = 0; l < LEVELS; l++) {
        int32_t s = level_strides[l], cols = pw / s, level_count = (ph / s) * cols;
        if (cell >= level_count && l < LEVELS - 1) {
            cell -= level_count;
            continue;
        }
        *stride = (float)s;
        *row = (float)(cell / cols);
        *col = (float)(cell % cols);
        return;
    }
}

static float clip01(float v) { return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v; }

/* Highest score first; ties by cell index, so every platform's sort gives the
 * same order (the int8 host and M55 builds must agree bit for bit). */
static int by_score(const void *pa, const void *pb)
{
    const yunet_candidate *a = pa, *b = pb;
    if (a->box.score != b->box.score) return a->box.score > b->box.score ? -1 : 1;
    return (a->cell > b->cell) - (a->cell < b->cell);
}

static float meta_float(const mf_detector *det, const char *key, float fallback)
{
    const char *text = mf_model_meta(&det->model, key);
    char *end;
    float v = text ? strtof(text, &end) : fallback;
    return text && (end == text || *end || !(v >= 0.0f && v <= 1.0f)) ? fallback : v;
}

static mf_detect_options file_options(const mf_detector *det)
{
    mf_detect_options o = mf_detect_default_options();
    o.score_threshold = meta_float(det, "score_threshold", o.score_threshold);
    o.nms_threshold = meta_float(det, "nms_threshold", o.nms_threshold);
    const char *top_k = mf_model_meta(&det->model, "top_k");
    char *end;
    long k = top_k ? strtol(top_k, &end, 10) : 0;
    if (top_k && end != top_k && !*end && k > 0 && k <= INT32_MAX) o.top_k = (int32_t)k;
    return o;
}

int mf_yunet_detect(mf_detector *det, const mf_frame *frame, const mf_detect_options *options, mf_face *faces,
                    int max_faces)
{
    const mf_detect_options chosen = options ? *options : file_options(det), *opt = &chosen;
    int err = mf_yunet_preprocess(det, frame);
    if (err) return err;
    err = mf_model_run(&det->model);
    if (err) return err;
    const float *cls = mf_model_output(&det->model, OUT_CLS)->data;
    const float *obj = mf_model_output(&det->model, OUT_OBJ)->data;
    const float *bbox = mf_model_output(&det->model, OUT_BBOX)->data;
    const float *kps = mf_model_output(&det->model, OUT_KPS)->data;

    yunet_candidate *cand = (yunet_candidate *)(void *)det->candidates;
    int32_t count = 0;
    for (int32_t a = 0; a < det->anchor_count; a++) {
        float score = sqrtf(clip01(cls[a]) * clip01(obj[a]));
        if (score > opt->score_threshold) {
            cand[count].box.score = score;
            cand[count].cell = a;
            count++;
        }
    }
    qsort(cand, (size_t)count, sizeof *cand, by_score);
    if (opt->top_k > 0 && count > opt->top_k) count = opt->top_k;

    /* Decode in network pixels (the padding is bottom / right: no offset), then
     * map back per axis to the frame. */
    float sx = (float)frame->width / (float)det->net_width, sy = (float)frame->height / (float)det->net_height;
    for (int32_t c = 0; c < count; c++) {
        float s, r, col;
        const float *d = bbox + 4 * cand[c].cell;
        cell_position(det, cand[c].cell, &s, &r, &col);
        float cx = (col + d[0]) * s, cy = (r + d[1]) * s;
        float w = mf_expf(d[2]) * s, h = mf_expf(d[3]) * s;
        float x1 = cx - w / 2, y1 = cy - h / 2;
        cand[c].box.x1 = x1 * sx;
        cand[c].box.y1 = y1 * sy;
        cand[c].box.x2 = (x1 + w) * sx;
        cand[c].box.y2 = (y1 + h) * sy;
        cand[c].suppressed = 0;
    }
    int found = 0;
    for (int32_t c = 0; c < count; c++) {
        if (cand[c].suppressed) continue;
        for (int32_t k = c + 1; k < count; k++)
            if (!cand[k].suppressed && mf_box_iou_plus1(&cand[c].box, &cand[k].box) > opt->nms_threshold)
                cand[k].suppressed = 1;
        if (found < max_faces) {
            mf_face *f = &faces[found];
            float s, r, col;
            cell_position(det, cand[c].cell, &s, &r, &col);
            f->box[0] = cand[c].box.x1;
            f->box[1] = cand[c].box.y1;
            f->box[2] = cand[c].box.x2;
            f->box[3] = cand[c].box.y2;
            f->score = cand[c].box.score;
            const float *l = kps + 10 * cand[c].cell;
            for (int k = 0; k < 5; k++) {
                f->landmarks[2 * k] = (col + l[2 * k]) * s * sx;
                f->landmarks[2 * k + 1] = (r + l[2 * k + 1]) * s * sy;
            }
        }
        found++;
    }
    return found;
}
