/* Face anti-spoofing (liveness, presentation attack detection) with the
 * Silent-Face MiniFASNet models (tools/convert/convert_minifasnet.py):
 * MiniFASNetV2 on a 2.7x crop and MiniFASNetV1SE on a 4.0x crop of the face
 * box, each resized to 80x80, BGR float 0..255. Each model gives 3 logits;
 * softmax class 1 is "real". The fused live score is the mean of the models'
 * softmax P(real), in [0, 1]; a face is live when score >= threshold.
 * See docs/models/MINIFASNET.md for the preprocessing, the threshold choice
 * and its error rates on nuaa_dev.
 *
 * No allocation: like mf_detector, the caller hands in a workspace (tensor
 * tables) and an arena (one 80x80 crop and the activations; the models run
 * one after the other and share it). Typical use:
 *   const void *blobs[2] = {v2, v1se}; size_t sizes[2] = {...};
 *   mf_liveness_open(&lv, blobs, sizes, 2);
 *   mf_liveness_plan(&lv, ws, mf_liveness_workspace_bytes(&lv), &arena_bytes);
 *   mf_liveness_bind(&lv, arena, arena_bytes);
 *   mf_liveness_check(&lv, &image, &face, &result);   // result.live, result.score
 * mf_pipeline (include/mcuface/mf_pipeline.h) checks every selected face
 * this way before recognition and never embeds or matches one it judged a
 * spoof.
 *
 * Thread safety: one mf_liveness (with its workspace and arena) is used by
 * one thread at a time; separate objects are independent and may run in
 * parallel (no global state). */
#ifndef MCUFACE_MF_LIVENESS_H
#define MCUFACE_MF_LIVENESS_H
#include <stddef.h>
#include <stdint.h>
#include "mcuface/mf_detect.h"
#include "mcuface/mf_frame.h"
#include "mcuface/mf_image.h"
#include "mcuface/mf_model.h"

#define MF_LIVENESS_MAX_MODELS 2
#define MF_LIVENESS_INPUT_SIDE 80
#define MF_LIVENESS_CLASSES 3
#define MF_LIVENESS_LIVE_CLASS 1

/* Default decision threshold on the fused score, chosen on nuaa_dev: the
 * highest threshold with BPCER <= 5% (i.e. the lowest APCER under that
 * constraint), 0.2757 with the detector at long side 320, rounded down to
 * 0.27. There: APCER 0%, BPCER 5.0%, ACER 2.5% (plain argmax, 0.5, would
 * reject 12.75% of live frames). docs/models/MINIFASNET.md has the table and
 * the command that measures it. */
#define MF_LIVENESS_DEFAULT_THRESHOLD 0.27f

/* The cascade measured on nuaa_dev (int8, bench/liveness_cascade.py): V2
 * (model 0) first, the second model only when V2's P(real) is in
 * [0.10, 0.70]: APCER 0.25%, BPCER 3.00%, ACER 1.62% (fused: 0.50%, 3.00%,
 * 1.75%), V1SE runs on 12.0% of faces; no worse than the fused decision on
 * either half of a 2-fold split by subject (with the libjpeg decoder:
 * 0.25%, 3.50%, 1.88% against 0.50%, 3.50%, 2.00%, V1SE on 11.75%).
 * mf_liveness_open leaves the cascade off (the fused decision, every model
 * runs); mf_pipeline turns it on by default (options.liveness_cascade) with
 * mf_liveness_set_cascade(lv, MF_LIVENESS_CASCADE_FIRST,
 * MF_LIVENESS_CASCADE_LO, MF_LIVENESS_CASCADE_HI).
 * docs/models/MINIFASNET.md "Cascade" has the table and the cost per face. */
#define MF_LIVENESS_CASCADE_FIRST 0
#define MF_LIVENESS_CASCADE_LO 0.10f
#define MF_LIVENESS_CASCADE_HI 0.70f

typedef struct mf_liveness_result {
    float score;                 /* fused: mean over models of softmax P(real), in [0, 1]; with a
                                    cascade that decided alone, the first model's P(real) */
    int live;                    /* 1 when score >= the threshold, else 0 */
    int model_count;             /* models opened */
    int models_run;              /* models that ran on this face: model_count, or 1 when a cascade decided alone */
    int ran[MF_LIVENESS_MAX_MODELS];                                /* 1 when model i ran (else its fields are 0) */
    float model_scores[MF_LIVENESS_MAX_MODELS];                     /* each model's P(real) */
    float logits[MF_LIVENESS_MAX_MODELS][MF_LIVENESS_CLASSES];     /* raw network outputs */
    int32_t crops[MF_LIVENESS_MAX_MODELS][4]; /* x, y, width, height of each model's crop (image pixels) */
} mf_liveness_result;

typedef struct mf_liveness {
    /* Private. */
    mf_model models[MF_LIVENESS_MAX_MODELS];
    double crop_scales[MF_LIVENESS_MAX_MODELS];
    int model_count;
    size_t workspace_offsets[MF_LIVENESS_MAX_MODELS];
    size_t model_arena_bytes;
    uint8_t *crop_pixels; /* 80x80 RGB, inside the arena */
    float threshold;
    int cascade_first; /* -1: off (every model runs) */
    float cascade_lo, cascade_hi;
    int state;
} mf_liveness;

/* Opens COUNT (1..MF_LIVENESS_MAX_MODELS) liveness model files BLOBS[i] of
 * SIZES[i] bytes (used in place, see mf_model_open; they must outlive LV).
 * Each must be kind=liveness with arch minifasnet_v2 or minifasnet_v1se, a
 * valid crop_scale, BGR input [1, 80, 80, 3] and one output. The threshold
 * starts at MF_LIVENESS_DEFAULT_THRESHOLD. Returns MF_OK, MF_EINVAL,
 * MF_ECORRUPT or MF_EUNSUPPORTED (not a liveness model). */
int mf_liveness_open(mf_liveness *lv, const void *const *blobs, const size_t *sizes, int count);

/* Bytes of workspace mf_liveness_plan needs (0 if LV is not open). */
size_t mf_liveness_workspace_bytes(const mf_liveness *lv);

/* Plans every model for its 80x80 input. WORKSPACE (caller-owned, 16-byte
 * aligned, >= mf_liveness_workspace_bytes, kept while LV is used) holds the
 * tensor tables. Writes the arena size mf_liveness_bind needs to
 * *ARENA_BYTES. Returns MF_OK, MF_EINVAL, MF_ENOMEM, MF_ESTATE or
 * MF_EUNSUPPORTED (a model whose output is not 3 logits). */
int mf_liveness_plan(mf_liveness *lv, void *workspace, size_t workspace_bytes, size_t *arena_bytes);

/* Hands LV its ARENA (caller-owned, 16-byte aligned, >= the planned size,
 * kept while LV is used). Returns MF_OK, MF_ENOMEM or MF_ESTATE. */
int mf_liveness_bind(mf_liveness *lv, void *arena, size_t arena_bytes);

/* Sets the decision threshold (0..1). Returns MF_OK or MF_EINVAL. */
int mf_liveness_set_threshold(mf_liveness *lv, float threshold);
float mf_liveness_threshold(const mf_liveness *lv);

/* Cascade (two models only): model FIRST runs alone; only when its P(real)
 * s lies in the uncertainty band [LO, HI] (inclusive) does the other model
 * run, and the score is the fused mean, bit for bit the score without a
 * cascade. Outside the band the score is s alone. The decision stays
 * score >= threshold, so keep LO <= threshold <= HI: then s < LO is a spoof
 * and s > HI is live. The band [0, 1] always runs both (the fused result,
 * bit for bit). FIRST = -1 turns the cascade off (LO, HI ignored); it is off
 * after mf_liveness_open. Measured bands, error rates and the cost per face:
 * docs/models/MINIFASNET.md "Cascade". Returns MF_OK, MF_ESTATE (not open)
 * or MF_EINVAL (FIRST not -1 or a model index with two models open, or not
 * 0 <= LO <= HI <= 1). */
int mf_liveness_set_cascade(mf_liveness *lv, int first, float lo, float hi);

/* The cascade setting: returns FIRST (-1 when off, or LV NULL) and writes the
 * band to *LO, *HI (either may be NULL). */
int mf_liveness_cascade(const mf_liveness *lv, float *lo, float *hi);

/* Runs every model (or the cascade, see mf_liveness_set_cascade) on FACE (a
 * detection in IMAGE's pixels; IMAGE is RGB888) and fills *RESULT. Returns
 * MF_OK, MF_ESTATE (not bound) or MF_EINVAL (bad image, a box that is not
 * finite or narrower than one pixel). */
int mf_liveness_check(mf_liveness *lv, const mf_image *image, const mf_face *face, mf_liveness_result *result);

/* mf_liveness_check on a camera FRAME (any mf_pixel_format, caller-owned,
 * only read; FACE in frame pixels): each model's 80x80 crop is sampled
 * straight from the frame. Bit for bit the result of mf_liveness_check on
 * mf_frame_to_image(FRAME); mf_liveness_check is mf_frame_from_image + this.
 * Returns as mf_liveness_check. */
int mf_liveness_check_frame(mf_liveness *lv, const mf_frame *frame, const mf_face *face,
                            mf_liveness_result *result);

/* The crop rule of Silent-Face (CropImage._get_new_box), in image pixels:
 * the box (x1, y1, x2, y2) becomes the integer box x = trunc(x1),
 * y = trunc(y1), w = trunc(x2 - x1 + 1), h = trunc(y2 - y1 + 1) (as
 * Silent-Face's detector wrapper does); the scale is capped at
 * min((W-1)/w, (H-1)/h); the box is scaled by it about its centre, shifted
 * right/down if it starts before 0, then left/up if it ends after W-1 / H-1,
 * and its corners are truncated to integers (inclusive). Writes x, y, width,
 * height of the crop (inside the image) to CROP. IMAGE_WIDTH, IMAGE_HEIGHT:
 * 1..MF_IMAGE_MAX_SIDE. Returns MF_OK or MF_EINVAL. */
int mf_liveness_crop_box(int32_t image_width, int32_t image_height, const float box[4], double scale,
                         int32_t crop[4]);

/* The model input of FACE at SCALE: mf_liveness_crop_box, then the crop
 * resized (bilinear, as cv2.resize) into DST, a caller-owned 80x80 RGB888
 * image. Writes the crop rectangle to CROP (may be NULL). Returns MF_OK or
 * MF_EINVAL. */
int mf_liveness_crop(const mf_image *image, const mf_face *face, double scale, mf_image *dst, int32_t crop[4]);

/* Crop scale of model INDEX (2.7 for V2, 4.0 for V1SE), or 0 when out of range. */
double mf_liveness_crop_scale(const mf_liveness *lv, int index);

/* Statistics (MACs, weights, arena) of model INDEX's plan, or NULL. */
const mf_model_stats *mf_liveness_stats(const mf_liveness *lv, int index);
#endif
