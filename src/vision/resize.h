/* Bilinear resize of 8-bit images with cv2.resize(INTER_LINEAR) semantics:
 * half-pixel centres (s = (d + 0.5) * src/dst - 0.5), edge clamp, no
 * anti-aliasing when shrinking. The arithmetic follows OpenCV's 8-bit
 * fixed-point path (11-bit weights) so results stay within +-1 of
 * cv2.resize. Measured against OpenCV 4.6.0 (x86-64, SIMD build) on the
 * synthetic fixtures of tests/vision/test_opencv_fixtures.c (upscale,
 * downscale, exact 2x both ways, gray, 1x1, crop to 80x80): max |diff| 0,
 * i.e. bit-exact; the test's contract is <= 1. */
#ifndef MCUFACE_VISION_RESIZE_H
#define MCUFACE_VISION_RESIZE_H
#include "mcuface/mf_frame.h"
#include "mcuface/mf_image.h"

/* Resizes SRC into DST, whose data, width, height, stride and channels the
 * caller sets (same channels as SRC; SRC and DST must not overlap). Returns
 * MF_OK, MF_EINVAL or MF_ERANGE. */
int mf_resize_bilinear(const mf_image *src, mf_image *dst);

/* Resizes the X, Y, WIDTH x HEIGHT rectangle of SRC (inside SRC, edges
 * clamped to the rectangle, as cv2.resize(src[y:y+h, x:x+w], ...)) into DST.
 * Used for the anti-spoofing 80x80 crops. Returns MF_OK, MF_EINVAL or
 * MF_ERANGE. */
int mf_crop_resize(const mf_image *src, int x, int y, int width, int height, mf_image *dst);

/* mf_crop_resize from a camera frame of any format into the RGB888 DST,
 * each source pixel converted as mf_frame_to_image does: the same bytes as
 * converting the frame first, without the full-size copy. */
int mf_frame_crop_resize(const mf_frame *src, int x, int y, int width, int height, mf_image *dst);
#endif
