/* 2-D similarity transforms (rotation, uniform scale, translation; no
 * reflection, no shear) and 2x3 affine helpers for face alignment.
 *
 * A 2x3 matrix M = {a, b, c, d, e, f} maps (x, y) to
 * (a*x + b*y + c, d*x + e*y + f), the row-major layout of cv2.warpAffine. */
#ifndef MCUFACE_VISION_SIMILARITY_H
#define MCUFACE_VISION_SIMILARITY_H

/* The 112x112 ArcFace alignment template: left eye, right eye, nose, left
 * and right mouth corner (image left/right), as x0, y0, x1, y1, ... */
extern const float mf_arcface_template_112[10];

/* Least-squares similarity from N >= 2 point pairs (SRC_XY, DST_XY: x, y
 * interleaved) mapping SRC onto DST: Umeyama 1991, the same estimate as
 * skimage's SimilarityTransform.estimate. Writes the 2x3 matrix to M.
 * Returns MF_OK, or MF_EINVAL for NULL, N < 2, non-finite points, or source
 * points that all coincide. */
int mf_similarity_estimate(const float *src_xy, const float *dst_xy, int n, double m[6]);

/* Inverts the affine map M into INV (INV may alias M). Returns MF_OK, or
 * MF_EINVAL when M is singular or not finite. */
int mf_affine_invert(const double m[6], double inv[6]);

/* Applies M to (X, Y). */
void mf_affine_apply(const double m[6], double x, double y, double *out_x, double *out_y);
#endif
