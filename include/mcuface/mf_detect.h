/* Face detection with five landmarks (RetinaFace-MobileNet0.25 or YuNet
 * model files, told apart by their "arch" metadata).
 * No allocation: mf_detector_plan reports the bytes one frame needs at a
 * network input size, and the caller hands them to mf_detector_bind.
 *
 * Thread safety: the library has no global mutable state. One mf_detector
 * (with its workspace and arena) is used by one thread at a time: calls on
 * it must not overlap, not even mf_detect on two images. Separate objects
 * are independent and may run in parallel threads, also over one shared
 * read-only model blob. */
#ifndef MCUFACE_MF_DETECT_H
#define MCUFACE_MF_DETECT_H
#include <stddef.h>
#include <stdint.h>
#include "mcuface/mf_frame.h"
#include "mcuface/mf_image.h"
#include "mcuface/mf_model.h"

/* A detected face in original-image pixels: box x1, y1, x2, y2; landmarks
 * (x, y) for left eye, right eye, nose, left and right mouth corner (image
 * left/right). */
typedef struct mf_face {
    float box[4];
    float score;
    float landmarks[10];
} mf_face;

typedef struct mf_detect_options {
    float score_threshold; /* keep faces scoring above this (RetinaFace reference: 0.02 for AP, 0.5 to use) */
    float nms_threshold;   /* IoU above which the lower-scored box is dropped (0.4) */
    int32_t top_k;         /* candidates kept before NMS (5000) */
} mf_detect_options;

/* Defaults for applications: score 0.5, NMS 0.4, top-k 5000. */
mf_detect_options mf_detect_default_options(void);

typedef struct mf_detector {
    /* Private. */
    mf_model model;
    int32_t net_width, net_height;
    int32_t anchor_count, max_candidates;
    float mean[3];
    int swap_rb;
    size_t model_arena_bytes, candidate_bytes;
    struct mf_candidate *candidates;
    int state;
    int arch; /* MF_DETECTOR_RETINAFACE or MF_DETECTOR_YUNET, from the file's "arch" */
} mf_detector;

enum { MF_DETECTOR_RETINAFACE = 0, MF_DETECTOR_YUNET = 1 };

/* Opens a detector model file (BLOB, used in place; see mf_model_open):
 * arch retinaface_mnet025 or yunet.
 * Returns MF_OK, MF_ECORRUPT, MF_EUNSUPPORTED (not a detector) or MF_EINVAL. */
int mf_detector_open(mf_detector *det, const void *blob, size_t size);

/* Network input size for an image of WIDTH x HEIGHT with its long side
 * scaled to LONG_SIDE (0 = original size): round(width * s) x
 * round(height * s), s = long_side / max(width, height). */
void mf_detector_input_size(int32_t width, int32_t height, int32_t long_side, int32_t *net_width,
                            int32_t *net_height);

/* Bytes of workspace mf_detector_plan needs (fixed once the model is open). */
size_t mf_detector_workspace_bytes(const mf_detector *det);

/* Plans for a NET_WIDTH x NET_HEIGHT network input (YuNet: the image is
 * resized to it, then zero-padded bottom / right to multiples of 32, the size
 * the model runs at). WORKSPACE (caller-owned,
 * >= mf_detector_workspace_bytes, kept while the detector is used) holds the
 * tensor table. Writes to *ARENA_BYTES the memory mf_detector_bind needs
 * (activations and candidate list). Returns MF_OK, MF_EINVAL, MF_ENOMEM or
 * MF_ERANGE. Plan again to change the size. */
int mf_detector_plan(mf_detector *det, int32_t net_width, int32_t net_height, void *workspace,
                     size_t workspace_bytes, size_t *arena_bytes);

/* Hands the detector ARENA (caller-owned, 16-byte aligned, >= the planned
 * size, kept until the next plan). Returns MF_OK, MF_ENOMEM or MF_ESTATE. */
int mf_detector_bind(mf_detector *det, void *arena, size_t arena_bytes);

/* Detects faces in IMAGE (RGB888, any size up to MF_IMAGE_MAX_SIDE: resized
 * to the planned network size). Writes up to MAX_FACES faces sorted by
 * score, highest first, and returns how many were found (>= 0; may exceed
 * MAX_FACES, only MAX_FACES are written) or a negative mf_status (MF_ESTATE
 * before bind, MF_EINVAL for a bad image or arguments, MF_ERANGE for an
 * image beyond the mf_image limits). OPTIONS NULL: mf_detect_default_options()
 * for RetinaFace; for YuNet the thresholds stored in the model file (score
 * 0.9, NMS 0.3, top-k 5000, FaceDetectorYN's defaults). */
int mf_detect(mf_detector *det, const mf_image *image, const mf_detect_options *options, mf_face *faces,
              int max_faces);

/* Detects faces in a camera FRAME (any mf_pixel_format, caller-owned, only
 * read): the frame is converted and resized in one pass straight into the
 * network input (float32 or int8), with no full-size RGB copy. Boxes and
 * landmarks are in frame pixels. The result is bit for bit that of
 * mf_detect on mf_frame_to_image(FRAME) (for an RGB888 frame, on the same
 * pixels). mf_detect is mf_frame_from_image + this. Returns as mf_detect;
 * MF_EINVAL also for a frame mf_frame_init would refuse. */
int mf_detect_frame(mf_detector *det, const mf_frame *frame, const mf_detect_options *options, mf_face *faces,
                    int max_faces);

/* Multiply-accumulates and arena of the current plan, for reports. */
const mf_model_stats *mf_detector_stats(const mf_detector *det);
#endif
