/* Affine warp of 8-bit images, as cv2.warpAffine(src, M, (w, h),
 * flags=INTER_LINEAR, borderMode=...). */
#ifndef MCUFACE_VISION_WARP_H
#define MCUFACE_VISION_WARP_H
#include "mcuface/mf_frame.h"
#include "mcuface/mf_image.h"

typedef enum mf_border {
    MF_BORDER_ZERO = 0,      /* outside pixels read as 0 (BORDER_CONSTANT, value 0) */
    MF_BORDER_REPLICATE = 1, /* outside pixels read as the nearest edge pixel (BORDER_REPLICATE) */
} mf_border;

/* Fills DST (caller sets data, size, stride; same channels as SRC, no
 * overlap) with SRC warped by the forward 2x3 matrix M (source -> destination
 * pixel coordinates, e.g. from mf_similarity_estimate). Each destination
 * pixel is sampled bilinearly at M^-1 (x, y); like OpenCV, the sample
 * position is quantized to 1/32 pixel and the weights to 15 bits, so results
 * stay within +-1 of cv2.warpAffine (measured vs OpenCV 4.6.0 on
 * tests/vision/test_opencv_fixtures.c: max |diff| 0 for both borders, random
 * similarities, a sheared affine and a 112x112 ArcFace alignment). M is
 * inverted in double, as OpenCV does. Returns MF_OK, MF_EINVAL (bad image
 * or border, singular M) or MF_ERANGE. */
int mf_warp_affine(const mf_image *src, const double m[6], mf_border border, mf_image *dst);

/* mf_warp_affine from a camera frame of any format into the RGB888 DST,
 * each source pixel converted as mf_frame_to_image does (same bytes as
 * warping the converted image). Returns as mf_warp_affine. */
int mf_warp_affine_frame(const mf_frame *src, const double m[6], mf_border border, mf_image *dst);
#endif
