/* RetinaFace detection: preprocessing, prior boxes, decoding and NMS around
 * a detector model file (tools/convert/convert_retinaface.py); YuNet files
 * (arch "yunet") are handed to detect_yunet.c. The decoding
 * follows biubug6's PriorBox / decode / decode_landm / py_cpu_nms so that
 * results match the PyTorch reference (docs/models/RETINAFACE.md). */
#include "mcuface/mf_detect.h"
#include "face/detect_yunet.h"
#include "mcuface/mf_status.h"
#include "nn/ops/ref/mf_math.h"
#include "vision/frame.h"
#include "vision/nms.h"
#include "vision/resize_to_tensor.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LEVELS 3
#define ANCHORS_PER_CELL 2
static const int32_t level_steps[LEVELS] = {8, 16, 32};
static const float level_min_sizes[LEVELS][ANCHORS_PER_CELL] = {{16, 32}, {64, 128}, {256, 512}};
static const float variance_center = 0.1f, variance_size = 0.2f;

/* A candidate above the score threshold; decoded only if it survives top-k. */
typedef struct mf_candidate {
    mf_box box; /* score set first; corners once it survives top-k */
    int32_t anchor;
    uint32_t suppressed;
} mf_candidate;

mf_detect_options mf_detect_default_options(void)
{
    mf_detect_options o = {0.5f, 0.4f, 5000};
    return o;
}

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

int mf_detector_open(mf_detector *det, const void *blob, size_t size)
{
    if (!det) return MF_EINVAL;
    memset(det, 0, sizeof *det);
    int err = mf_model_open(&det->model, blob, size);
    if (err) return err;
    const char *arch = mf_model_meta(&det->model, "arch");
    if (arch && strcmp(arch, "yunet") == 0) {
        det->arch = MF_DETECTOR_YUNET;
        err = mf_yunet_open(det);
        if (!err) det->state = 1;
        return err;
    }
    if (!arch || strcmp(arch, "retinaface_mnet025") != 0 || det->model.output_count != 3 ||
        det->model.input_count != 1)
        return MF_EUNSUPPORTED;
    det->mean[0] = 104.0f; /* BGR order, as the model was trained */
    det->mean[1] = 117.0f;
    det->mean[2] = 123.0f;
    det->swap_rb = 1;
    det->state = 1;
    return MF_OK;
}

void mf_detector_input_size(int32_t width, int32_t height, int32_t long_side, int32_t *net_width,
                            int32_t *net_height)
{
    int32_t longest = width > height ? width : height;
    if (long_side <= 0 || longest <= 0) {
        *net_width = width;
        *net_height = height;
        return;
    }
    double s = (double)long_side / longest;
    *net_width = (int32_t)floor(width * s + 0.5);
    *net_height = (int32_t)floor(height * s + 0.5);
    if (*net_width < 1) *net_width = 1;
    if (*net_height < 1) *net_height = 1;
}

static int32_t count_anchors(int32_t w, int32_t h)
{
    int32_t n = 0;
    for (int l = 0; l < LEVELS; l++) {
        int32_t s = level_steps[l];
        n += ((h + s - 1) / s) * ((w + s - 1) / s) * ANCHORS_PER_CELL;
    }
    return n;
}

size_t mf_detector_workspace_bytes(const mf_detector *det)
{
    return det && det->state >= 1 ? mf_model_workspace_bytes(&det->model) : 0;
}

int mf_detector_plan(mf_detector *det, int32_t net_width, int32_t net_height, void *workspace,
                     size_t workspace_bytes, size_t *arena_bytes)
{
    if (!det || det->state < 1 || !arena_bytes) return MF_EINVAL;
    if (net_width < 1 || net_height < 1 || net_width > 8192 || net_height > 8192) return MF_ERANGE;
    det->state = 1;
    if (det->arch == MF_DETECTOR_YUNET)
        return mf_yunet_plan(det, net_width, net_height, workspace, workspace_bytes, arena_bytes);
    int32_t dims[4] = {1, net_height, net_width, 3};
    size_t model_arena = 0;
    int err = mf_model_plan(&det->model, workspace, workspace_bytes, dims, 4, &model_arena);
    if (err) return err;
    det->anchor_count = count_anchors(net_width, net_height);
    /* The model's outputs must have one row per prior box. */
    for (int i = 0; i < 3; i++) {
        const mf_tensor *t = mf_model_output(&det->model, i);
        static const int32_t widths[3] = {4, 2, 10};
        if (t->rank != 3 || t->dims[1] != det->anchor_count || t->dims[2] != widths[i] || t->dtype != MF_DTYPE_FLOAT32)
            return MF_EUNSUPPORTED;
    }
    int32_t in_dtype = mf_model_input(&det->model, 0)->dtype;
    if (in_dtype != MF_DTYPE_FLOAT32 && in_dtype != MF_DTYPE_INT8) return MF_EUNSUPPORTED;
    det->net_width = net_width;
    det->net_height = net_height;
    det->model_arena_bytes = align16(model_arena);
    det->candidate_bytes = align16((size_t)det->anchor_count * sizeof(mf_candidate));
    *arena_bytes = det->model_arena_bytes + det->candidate_bytes;
    det->state = 2;
    return MF_OK;
}

int mf_detector_bind(mf_detector *det, void *arena, size_t arena_bytes)
{
    if (!det || det->state < 2) return MF_ESTATE;
    if (!arena || arena_bytes < det->model_arena_bytes + det->candidate_bytes) return MF_ENOMEM;
    int err = mf_model_bind(&det->model, arena, det->model_arena_bytes);
    if (err) return err;
    det->candidates = (mf_candidate *)(void *)((uint8_t *)arena + det->model_arena_bytes);
    det->state = 3;
    return MF_OK;
}

/* Prior box of ANCHOR as (cx, cy, w, h) relative to the network input. */
static void prior_box(const mf_detector *det, int32_t anchor, float prior[4])
{
    int32_t w = det->net_width, h = det->net_height;
    for (int l = 0; l < LEVELS; l++) {
        int32_t step = level_steps[l];
        int32_t rows = (h + step - 1) / step, cols = (w + step - 1) / step;
        int32_t level_count = rows * cols * ANCHORS_PER_CELL;
        if (anchor >= level_count) {
            anchor -= level_count;
            continue;
        }
        int32_t cell = anchor / ANCHORS_PER_CELL, a = anchor % ANCHORS_PER_CELL;
        int32_t i = cell / cols, j = cell % cols;
        prior[0] = (float)(((double)j + 0.5) * step / w);
        prior[1] = (float)(((double)i + 0.5) * step / h);
        prior[2] = level_min_sizes[l][a] / (float)w;
        prior[3] = level_min_sizes[l][a] / (float)h;
        return;
    }
}

/* Highest score first; ties by anchor index, so every platform's sort gives
 * the same order (the int8 host and M55 builds must agree bit for bit). */
static int by_score(const void *pa, const void *pb)
{
    const mf_candidate *a = pa, *b = pb;
    if (a->box.score != b->box.score) return a->box.score > b->box.score ? -1 : 1;
    return (a->anchor > b->anchor) - (a->anchor < b->anchor);
}

int mf_detect(mf_detector *det, const mf_image *image, const mf_detect_options *options, mf_face *faces,
              int max_faces)
{
    if (!det || det->state < 3) return MF_ESTATE;
    if (!image || !image->data || image->channels != 3 || image->width < 1 || image->height < 1) return MF_EINVAL;
    mf_frame frame;
    int err = mf_frame_from_image(image, &frame);
    if (err) return err == MF_ERANGE ? err : MF_EINVAL;
    return mf_detect_frame(det, &frame, options, faces, max_faces);
}

int mf_detect_frame(mf_detector *det, const mf_frame *frame, const mf_detect_options *options, mf_face *faces,
                    int max_faces)
{
    if (!det || det->state < 3) return MF_ESTATE;
    if (!frame || (max_faces > 0 && !faces) || max_faces < 0) return MF_EINVAL;
    int err = mf_frame_check(frame);
    if (err) return err;
    if (det->arch == MF_DETECTOR_YUNET) return mf_yunet_detect(det, frame, options, faces, max_faces);
    mf_detect_options opt = options ? *options : mf_detect_default_options();
    static const float unit_scale[3] = {1.0f, 1.0f, 1.0f};
    mf_tensor *input = mf_model_input(&det->model, 0);
    /* int8 models (retinaface_mnet025_int8) take the image already quantized; the frame's
     * pixels are converted as they are sampled (RGB888 frames read in place) */
    err = input->dtype == MF_DTYPE_INT8
              ? mf_frame_resize_to_tensor_s8(frame, det->net_width, det->net_height, det->mean, unit_scale,
                                             det->swap_rb, input->scale, input->zero_point, input->data)
              : mf_frame_resize_to_tensor_f32(frame, det->net_width, det->net_height, det->mean, unit_scale,
                                              det->swap_rb, input->data);
    if (err) return err;
    err = mf_model_run(&det->model);
    if (err) return err;
    const float *loc = mf_model_output(&det->model, 0)->data;
    const float *conf = mf_model_output(&det->model, 1)->data;
    const float *landms = mf_model_output(&det->model, 2)->data;

    mf_candidate *cand = det->candidates;
    int32_t count = 0;
    for (int32_t a = 0; a < det->anchor_count; a++) {
        float score = conf[2 * a + 1];
        if (score > opt.score_threshold) {
            cand[count].box.score = score;
            cand[count].anchor = a;
            count++;
        }
    }
    qsort(cand, (size_t)count, sizeof *cand, by_score);
    if (opt.top_k > 0 && count > opt.top_k) count = opt.top_k;

    /* Decode in network pixels, then map back per axis to the image. */
    float sx = (float)frame->width / (float)det->net_width, sy = (float)frame->height / (float)det->net_height;
    float nw = (float)det->net_width, nh = (float)det->net_height;
    for (int32_t c = 0; c < count; c++) {
        float p[4];
        const float *d = loc + 4 * cand[c].anchor;
        prior_box(det, cand[c].anchor, p);
        float cx = p[0] + d[0] * variance_center * p[2], cy = p[1] + d[1] * variance_center * p[3];
        float w = p[2] * mf_expf(d[2] * variance_size), h = p[3] * mf_expf(d[3] * variance_size);
        float x1 = cx - w / 2, y1 = cy - h / 2;
        cand[c].box.x1 = x1 * nw * sx;
        cand[c].box.y1 = y1 * nh * sy;
        cand[c].box.x2 = (x1 + w) * nw * sx;
        cand[c].box.y2 = (y1 + h) * nh * sy;
        cand[c].suppressed = 0;
    }
    int found = 0;
    for (int32_t c = 0; c < count; c++) {
        if (cand[c].suppressed) continue;
        for (int32_t k = c + 1; k < count; k++)
            if (!cand[k].suppressed && mf_box_iou_plus1(&cand[c].box, &cand[k].box) > opt.nms_threshold) cand[k].suppressed = 1;
        if (found < max_faces) {
            mf_face *f = &faces[found];
            float p[4];
            prior_box(det, cand[c].anchor, p);
            f->box[0] = cand[c].box.x1;
            f->box[1] = cand[c].box.y1;
            f->box[2] = cand[c].box.x2;
            f->box[3] = cand[c].box.y2;
            f->score = cand[c].box.score;
            const float *l = landms + 10 * cand[c].anchor;
            for (int k = 0; k < 5; k++) {
                f->landmarks[2 * k] = (p[0] + l[2 * k] * variance_center * p[2]) * nw * sx;
                f->landmarks[2 * k + 1] = (p[1] + l[2 * k + 1] * variance_center * p[3]) * nh * sy;
            }
        }
        found++;
    }
    return found;
}

const mf_model_stats *mf_detector_stats(const mf_detector *det)
{
    return det ? mf_model_get_stats(&det->model) : NULL;
}
