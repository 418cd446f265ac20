/* YuNet (OpenCV zoo face_detection_yunet_2023mar) behind the mf_detector API:
 * mf_detector_open / plan / detect_frame in detect.c hand a model whose arch is
 * "yunet" to these (docs/models/YUNET.md). Internal to the library. */
#ifndef MCUFACE_FACE_DETECT_YUNET_H
#define MCUFACE_FACE_DETECT_YUNET_H
#include "mcuface/mf_detect.h"

/* Checks the opened model's inputs and outputs and sets the preprocessing
 * (BGR, raw 0..255). Returns MF_OK or MF_EUNSUPPORTED. */
int mf_yunet_open(mf_detector *det);

/* The network input for a NET_WIDTH x NET_HEIGHT resized image: each side
 * rounded up to a multiple of 32 (the image sits top-left, zero padding
 * bottom and right, as OpenCV's FaceDetectorYN pads). */
int32_t mf_yunet_padded(int32_t side);

/* Writes FRAME's network input (resized, BGR, padded; quantized for an int8
 * model) into the planned and bound model's input tensor. mf_yunet_detect's
 * first step; separate so test tools can read the input before the run
 * reuses its arena bytes. Returns MF_OK or MF_EINVAL. */
int mf_yunet_preprocess(mf_detector *det, const mf_frame *frame);

/* mf_detector_plan for YuNet (same contract). */
int mf_yunet_plan(mf_detector *det, int32_t net_width, int32_t net_height, void *workspace, size_t workspace_bytes,
                  size_t *arena_bytes);

/* mf_detect_frame for YuNet after the argument checks (same contract). OPTIONS
 * NULL: the file's score_threshold / nms_threshold / top_k metadata (written
 * by the converter: FaceDetectorYN's 0.9 / 0.3 / 5000), each falling back to
 * mf_detect_default_options() when absent. */
int mf_yunet_detect(mf_detector *det, const mf_frame *frame, const mf_detect_options *options, mf_face *faces,
                    int max_faces);
#endif
