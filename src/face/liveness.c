/* Liveness: Silent-Face crops, MiniFASNet runs and score fusion around the
 * liveness model files (tools/convert/convert_minifasnet.py). The crop rule
 * and the preprocessing follow Silent-Face-Anti-Spoofing's CropImage and
 * AntiSpoofPredict so that the scores match the PyTorch reference
 * (docs/models/MINIFASNET.md). */
#include "mcuface/mf_liveness.h"
#include "mcuface/mf_status.h"
#include "nn/ops/ref/mf_math.h"
#include "vision/frame.h"
#include "vision/resize.h"
#include "vision/to_tensor.h"
#include <math.h>
#include <string.h>

#define SIDE MF_LIVENESS_INPUT_SIDE
#define CROP_BYTES ((size_t)SIDE * SIDE * 3)

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

static int64_t elements(const mf_tensor *t)
{
    int64_t n = 1;
    for (int i = 0; i < t->rank; i++) n *= t->dims[i];
    return n;
}

/* "2.7" -> 2.7 as the nearest double (like Python's float()): an integer
 * mantissa of at most 15 digits divided by an exact power of ten. Returns 0
 * for anything else. */
static double parse_scale(const char *s)
{
    if (!s || !*s) return 0.0;
    double mantissa = 0.0, divisor = 1.0;
    int digits = 0, dot = 0;
    for (; *s; s++) {
        if (*s == '.' && !dot) {
            dot = 1;
            continue;
        }
        if (*s < '0' || *s > '9' || ++digits > 15) return 0.0;
        mantissa = mantissa * 10.0 + (double)(*s - '0');
        if (dot) divisor *= 10.0;
    }
    return digits ? mantissa / divisor : 0.0;
}

static int open_one(mf_liveness *lv, int i, const void *blob, size_t size)
{
    mf_model *m = &lv->models[i];
    int err = mf_model_open(m, blob, size);
    if (err) return err;
    const char *kind = mf_model_meta(m, "kind"), *arch = mf_model_meta(m, "arch");
    const char *order = mf_model_meta(m, "input_order");
    if (!kind || strcmp(kind, "liveness") != 0 || !arch ||
        (strcmp(arch, "minifasnet_v2") != 0 && strcmp(arch, "minifasnet_v1se") != 0) || !order ||
        strcmp(order, "bgr") != 0 || mf_model_input_count(m) != 1 || mf_model_output_count(m) != 1)
        return MF_EUNSUPPORTED;
    int32_t dims[4];
    if (mf_model_input_dims(m, 0, dims) != 4 || dims[0] != 1 || dims[1] != SIDE || dims[2] != SIDE || dims[3] != 3)
        return MF_EUNSUPPORTED;
    double scale = parse_scale(mf_model_meta(m, "crop_scale"));
    if (!(scale > 0.0 && scale <= 100.0)) return MF_EUNSUPPORTED;
    lv->crop_scales[i] = scale;
    return MF_OK;
}

int mf_liveness_open(mf_liveness *lv, const void *const *blobs, const size_t *sizes, int count)
{
    if (!lv) return MF_EINVAL;
    memset(lv, 0, sizeof *lv);
    if (!blobs || !sizes || count < 1 || count > MF_LIVENESS_MAX_MODELS) return MF_EINVAL;
    for (int i = 0; i < count; i++) {
        int err = open_one(lv, i, blobs[i], sizes[i]);
        if (err) {
            memset(lv, 0, sizeof *lv);
            return err;
        }
    }
    lv->model_count = count;
    lv->threshold = MF_LIVENESS_DEFAULT_THRESHOLD;
    lv->cascade_first = -1;
    lv->state = 1;
    return MF_OK;
}

size_t mf_liveness_workspace_bytes(const mf_liveness *lv)
{
    if (!lv || lv->state < 1) return 0;
    size_t total = 0;
    for (int i = 0; i < lv->model_count; i++) total += align16(mf_model_workspace_bytes(&lv->models[i]));
    return total;
}

int mf_liveness_plan(mf_liveness *lv, void *workspace, size_t workspace_bytes, size_t *arena_bytes)
{
    if (!lv || !arena_bytes) return MF_EINVAL;
    if (lv->state < 1) return MF_ESTATE;
    if (!workspace || ((uintptr_t)workspace & 15u)) return MF_EINVAL;
    if (workspace_bytes < mf_liveness_workspace_bytes(lv)) return MF_ENOMEM;
    lv->state = 1;
    static const int32_t dims[4] = {1, SIDE, SIDE, 3};
    size_t offset = 0, largest = 0;
    for (int i = 0; i < lv->model_count; i++) {
        mf_model *m = &lv->models[i];
        size_t ws = align16(mf_model_workspace_bytes(m)), bytes = 0;
        int err = mf_model_plan(m, (uint8_t *)workspace + offset, ws, dims, 4, &bytes);
        if (err) return err;
        const mf_tensor *out = mf_model_output(m, 0);
        if (!out || out->dtype != MF_DTYPE_FLOAT32 || out->rank < 1 || elements(out) != MF_LIVENESS_CLASSES)
            return MF_EUNSUPPORTED;
        int32_t in_dtype = mf_model_input(m, 0)->dtype;
        if (in_dtype != MF_DTYPE_FLOAT32 && in_dtype != MF_DTYPE_INT8) return MF_EUNSUPPORTED;
        lv->workspace_offsets[i] = offset;
        offset += ws;
        if (bytes > largest) largest = bytes;
    }
    lv->model_arena_bytes = align16(largest);
    *arena_bytes = align16(CROP_BYTES) + lv->model_arena_bytes;
    lv->state = 2;
    return MF_OK;
}

int mf_liveness_bind(mf_liveness *lv, void *arena, size_t arena_bytes)
{
    if (!lv || lv->state < 2) return MF_ESTATE;
    if (!arena || ((uintptr_t)arena & 15u)) return MF_EINVAL;
    size_t crop = align16(CROP_BYTES);
    if (arena_bytes < crop + lv->model_arena_bytes) return MF_ENOMEM;
    /* The models run one after the other: they share the activation arena. */
    for (int i = 0; i < lv->model_count; i++) {
        int err = mf_model_bind(&lv->models[i], (uint8_t *)arena + crop, lv->model_arena_bytes);
        if (err) return err;
    }
    lv->crop_pixels = arena;
    lv->state = 3;
    return MF_OK;
}

int mf_liveness_set_threshold(mf_liveness *lv, float threshold)
{
    if (!lv || !(threshold >= 0.0f && threshold <= 1.0f)) return MF_EINVAL;
    lv->threshold = threshold;
    return MF_OK;
}

int mf_liveness_set_cascade(mf_liveness *lv, int first, float lo, float hi)
{
    if (!lv) return MF_EINVAL;
    if (lv->state < 1) return MF_ESTATE;
    if (first == -1) {
        lv->cascade_first = -1;
        return MF_OK;
    }
    if (lv->model_count != 2 || first < 0 || first > 1 || !(lo >= 0.0f && lo <= hi && hi <= 1.0f)) return MF_EINVAL;
    lv->cascade_first = first;
    lv->cascade_lo = lo;
    lv->cascade_hi = hi;
    return MF_OK;
}

int mf_liveness_cascade(const mf_liveness *lv, float *lo, float *hi)
{
    int on = lv && lv->state >= 1 && lv->cascade_first >= 0;
    if (lo) *lo = on ? lv->cascade_lo : 0.0f;
    if (hi) *hi = on ? lv->cascade_hi : 0.0f;
    return on ? lv->cascade_first : -1;
}

float mf_liveness_threshold(const mf_liveness *lv) { return lv ? lv->threshold : MF_LIVENESS_DEFAULT_THRESHOLD; }

double mf_liveness_crop_scale(const mf_liveness *lv, int index)
{
    return lv && lv->state >= 1 && index >= 0 && index < lv->model_count ? lv->crop_scales[index] : 0.0;
}

const mf_model_stats *mf_liveness_stats(const mf_liveness *lv, int index)
{
    return lv && lv->state >= 2 && index >= 0 && index < lv->model_count ? mf_model_get_stats(&lv->models[index])
                                                                        : NULL;
}

/* Detector boxes can reach outside the image a little; anything beyond this
 * is not a face box (and would overflow the integer conversion). */
#define BOX_LIMIT 1.0e6

int mf_liveness_crop_box(int32_t image_width, int32_t image_height, const float box[4], double scale,
                         int32_t crop[4])
{
    if (!box || !crop || image_width < 1 || image_height < 1 || image_width > MF_IMAGE_MAX_SIDE ||
        image_height > MF_IMAGE_MAX_SIDE || !(scale > 0.0 && scale <= 100.0))
        return MF_EINVAL;
    for (int k = 0; k < 4; k++)
        if (!(fabs((double)box[k]) <= BOX_LIMIT)) return MF_EINVAL; /* also rejects NaN */
    /* Silent-Face's integer box (x, y, w, h); C casts truncate toward zero like Python's int(). */
    int32_t x = (int32_t)(double)box[0], y = (int32_t)(double)box[1];
    int32_t w = (int32_t)((double)box[2] - (double)box[0] + 1.0);
    int32_t h = (int32_t)((double)box[3] - (double)box[1] + 1.0);
    if (w < 1 || h < 1) return MF_EINVAL;
    /* CropImage._get_new_box, operation for operation in double precision. */
    double src_w = image_width, src_h = image_height;
    double bw = w, bh = h;
    double s = (src_h - 1) / bh, sx = (src_w - 1) / bw;
    if (sx < s) s = sx;
    if (scale < s) s = scale;
    double new_w = bw * s, new_h = bh * s;
    double cx = bw / 2 + x, cy = bh / 2 + y;
    double left = cx - new_w / 2, top = cy - new_h / 2;
    double right = cx + new_w / 2, bottom = cy + new_h / 2;
    if (left < 0) {
        right -= left;
        left = 0;
    }
    if (top < 0) {
        bottom -= top;
        top = 0;
    }
    if (right > src_w - 1) {
        left -= right - src_w + 1;
        right = src_w - 1;
    }
    if (bottom > src_h - 1) {
        top -= bottom - src_h + 1;
        bottom = src_h - 1;
    }
    int32_t l = (int32_t)left, t = (int32_t)top, r = (int32_t)right, b = (int32_t)bottom;
    /* The capped scale keeps the crop inside the image; these clamps only
     * absorb a rounding error of the last bit. */
    if (l < 0) l = 0;
    if (t < 0) t = 0;
    if (r > image_width - 1) r = image_width - 1;
    if (b > image_height - 1) b = image_height - 1;
    if (r < l || b < t) return MF_EINVAL;
    crop[0] = l;
    crop[1] = t;
    crop[2] = r - l + 1; /* Silent-Face slices [top : bottom + 1, left : right + 1] */
    crop[3] = b - t + 1;
    return MF_OK;
}

int mf_liveness_crop(const mf_image *image, const mf_face *face, double scale, mf_image *dst, int32_t crop[4])
{
    if (!image || !face || !dst) return MF_EINVAL;
    int err = mf_image_check(image);
    if (err) return err;
    if (image->channels != 3 || dst->channels != 3 || dst->width != SIDE || dst->height != SIDE) return MF_EINVAL;
    int32_t c[4];
    err = mf_liveness_crop_box(image->width, image->height, face->box, scale, c);
    if (err) return err;
    err = mf_crop_resize(image, c[0], c[1], c[2], c[3], dst);
    if (err) return err;
    if (crop) memcpy(crop, c, sizeof c);
    return MF_OK;
}

/* mf_liveness_crop from a frame: the crop rule, then the 80x80 resize sampled
 * from the frame (in place for RGB888, converting each read otherwise). */
static int crop_frame(const mf_frame *frame, const mf_face *face, double scale, mf_image *dst, int32_t crop[4])
{
    int err = mf_liveness_crop_box(frame->width, frame->height, face->box, scale, crop);
    if (err) return err;
    return mf_frame_crop_resize(frame, crop[0], crop[1], crop[2], crop[3], dst);
}

int mf_liveness_check(mf_liveness *lv, const mf_image *image, const mf_face *face, mf_liveness_result *result)
{
    if (!lv || lv->state < 3) return MF_ESTATE;
    if (!image || !face || !result) return MF_EINVAL;
    memset(result, 0, sizeof *result);
    if (image->channels != 3) return MF_EINVAL;
    mf_frame frame;
    int err = mf_frame_from_image(image, &frame);
    if (err) return err;
    return mf_liveness_check_frame(lv, &frame, face, result);
}

/* Model I on FACE: its crop, its run and its softmax P(real) into RESULT. */
static int run_model(mf_liveness *lv, int i, const mf_frame *frame, const mf_face *face, mf_image *crop,
                     mf_liveness_result *result)
{
    int err = crop_frame(frame, face, lv->crop_scales[i], crop, result->crops[i]);
    if (err) return err;
    /* RGB uint8 -> BGR 0..255, NHWC (Silent-Face feeds cv2's BGR pixels as floats, no scaling);
     * int8 models take it already quantized, as mf_detect does. */
    static const float zero[3] = {0, 0, 0}, one[3] = {1, 1, 1};
    mf_tensor *in = mf_model_input(&lv->models[i], 0);
    err = in->dtype == MF_DTYPE_INT8 ? mf_image_to_tensor_s8(crop, in->data, zero, one, 1, in->scale, in->zero_point)
                                     : mf_image_to_tensor_f32(crop, in->data, zero, one, 1);
    if (err) return err;
    err = mf_model_run(&lv->models[i]);
    if (err) return err;
    const float *logits = mf_model_output(&lv->models[i], 0)->data;
    float top = logits[0];
    for (int k = 1; k < MF_LIVENESS_CLASSES; k++)
        if (logits[k] > top) top = logits[k];
    float e[MF_LIVENESS_CLASSES], total = 0.0f;
    for (int k = 0; k < MF_LIVENESS_CLASSES; k++) {
        result->logits[i][k] = logits[k];
        e[k] = mf_expf(logits[k] - top);
        total += e[k];
    }
    result->model_scores[i] = e[MF_LIVENESS_LIVE_CLASS] / total;
    result->ran[i] = 1;
    result->models_run++;
    return MF_OK;
}

int mf_liveness_check_frame(mf_liveness *lv, const mf_frame *frame, const mf_face *face,
                            mf_liveness_result *result)
{
    if (!lv || lv->state < 3) return MF_ESTATE;
    if (!frame || !face || !result) return MF_EINVAL;
    memset(result, 0, sizeof *result);
    int err = mf_frame_check(frame);
    if (err) return err;
    mf_image crop;
    err = mf_image_init(&crop, lv->crop_pixels, CROP_BYTES, SIDE, SIDE, 3);
    if (err) return err;
    result->model_count = lv->model_count;
    int first = lv->cascade_first;
    if (first >= 0) {
        err = run_model(lv, first, frame, face, &crop, result);
        if (err) return err;
        float s = result->model_scores[first];
        if (!(s >= lv->cascade_lo && s <= lv->cascade_hi)) {
            /* Confident: the first model decides alone. */
            result->score = s;
            result->live = result->score >= lv->threshold;
            return MF_OK;
        }
    }
    for (int i = 0; i < lv->model_count; i++) {
        if (result->ran[i]) continue;
        err = run_model(lv, i, frame, face, &crop, result);
        if (err) return err;
    }
    /* The fused mean, summed in model order whichever ran first. */
    float sum = 0.0f;
    for (int i = 0; i < lv->model_count; i++) sum += result->model_scores[i];
    result->score = sum / (float)lv->model_count;
    result->live = result->score >= lv->threshold;
    return MF_OK;
}
