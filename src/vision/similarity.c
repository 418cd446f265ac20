/* Similarity estimate. In 2-D, Umeyama's SVD solution equals the linear
 * least-squares fit of the matrix [a -b; b a] to the centred points (s*R
 * with s >= 0 and R a rotation is exactly that family), so it has a closed
 * form: no SVD, no reflection possible. Computed in double. */
#include "vision/similarity.h"
#include "mcuface/mf_status.h"
#include <math.h>

const float mf_arcface_template_112[10] = {
    38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f,
};

int mf_similarity_estimate(const float *src_xy, const float *dst_xy, int n, double m[6])
{
    if (!src_xy || !dst_xy || !m || n < 2) return MF_EINVAL;
    double sx = 0, sy = 0, dx = 0, dy = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(src_xy[2 * i]) || !isfinite(src_xy[2 * i + 1]) || !isfinite(dst_xy[2 * i]) ||
            !isfinite(dst_xy[2 * i + 1]))
            return MF_EINVAL;
        sx += src_xy[2 * i];
        sy += src_xy[2 * i + 1];
        dx += dst_xy[2 * i];
        dy += dst_xy[2 * i + 1];
    }
    sx /= n;
    sy /= n;
    dx /= n;
    dy /= n;
    double spread = 0, dot = 0, cross = 0;
    for (int i = 0; i < n; i++) {
        double x = src_xy[2 * i] - sx, y = src_xy[2 * i + 1] - sy;
        double u = dst_xy[2 * i] - dx, v = dst_xy[2 * i + 1] - dy;
        spread += x * x + y * y;
        dot += x * u + y * v;
        cross += x * v - y * u;
    }
    if (!(spread > 0) || !isfinite(spread)) return MF_EINVAL; /* all source points coincide */
    double a = dot / spread, b = cross / spread;
    m[0] = a;
    m[1] = -b;
    m[2] = dx - (a * sx - b * sy);
    m[3] = b;
    m[4] = a;
    m[5] = dy - (b * sx + a * sy);
    return MF_OK;
}

int mf_affine_invert(const double m[6], double inv[6])
{
    if (!m || !inv) return MF_EINVAL;
    for (int i = 0; i < 6; i++)
        if (!isfinite(m[i])) return MF_EINVAL;
    double det = m[0] * m[4] - m[1] * m[3];
    if (det == 0 || !isfinite(1.0 / det)) return MF_EINVAL;
    double r = 1.0 / det;
    double a = m[4] * r, b = -m[1] * r, d = -m[3] * r, e = m[0] * r;
    double c = -a * m[2] - b * m[5], f = -d * m[2] - e * m[5];
    inv[0] = a;
    inv[1] = b;
    inv[2] = c;
    inv[3] = d;
    inv[4] = e;
    inv[5] = f;
    return MF_OK;
}

void mf_affine_apply(const double m[6], double x, double y, double *out_x, double *out_y)
{
    double ox = m[0] * x + m[1] * y + m[2], oy = m[3] * x + m[4] * y + m[5];
    *out_x = ox;
    *out_y = oy;
}
