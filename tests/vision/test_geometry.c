/* Hand-computed cases for the similarity estimate, affine inverse and warp. */
#include "mf_test.h"
#include "mcuface/mf_image.h"
#include "mcuface/mf_status.h"
#include "vision/similarity.h"
#include "vision/warp.h"
#include <math.h>
#include <string.h>

static void check_matrix(const double *got, const double *want, double tol)
{
    for (int i = 0; i < 6; i++) MF_CHECK_NEAR(got[i], want[i], tol);
}

static void test_similarity_identity(void)
{
    double m[6], want[6] = {1, 0, 0, 0, 1, 0};
    MF_CHECK_EQ_INT(mf_similarity_estimate(mf_arcface_template_112, mf_arcface_template_112, 5, m), MF_OK);
    check_matrix(m, want, 1e-9);
}

static void test_similarity_rotation_90(void)
{
    /* (x, y) -> (-y, x): counter-clockwise in maths axes. */
    const float src[] = {1, 0, 0, 1, -1, 0, 3, 2};
    const float dst[] = {0, 1, -1, 0, 0, -1, -2, 3};
    double m[6], want[6] = {0, -1, 0, 1, 0, 0};
    MF_CHECK_EQ_INT(mf_similarity_estimate(src, dst, 4, m), MF_OK);
    check_matrix(m, want, 1e-9);
}

static void test_similarity_scale_translation(void)
{
    float dst[10];
    for (int i = 0; i < 5; i++) {
        dst[2 * i] = 2.0f * mf_arcface_template_112[2 * i] + 3.0f;
        dst[2 * i + 1] = 2.0f * mf_arcface_template_112[2 * i + 1] - 4.0f;
    }
    double m[6], want[6] = {2, 0, 3, 0, 2, -4};
    MF_CHECK_EQ_INT(mf_similarity_estimate(mf_arcface_template_112, dst, 5, m), MF_OK);
    check_matrix(m, want, 1e-4);
    /* Two points determine a similarity exactly. */
    MF_CHECK_EQ_INT(mf_similarity_estimate(mf_arcface_template_112, dst, 2, m), MF_OK);
    check_matrix(m, want, 1e-4);
}

static void test_similarity_never_reflects(void)
{
    /* The best map onto a mirror image must still be a rotation + scale. */
    float mirrored[10];
    for (int i = 0; i < 5; i++) {
        mirrored[2 * i] = 112.0f - mf_arcface_template_112[2 * i];
        mirrored[2 * i + 1] = mf_arcface_template_112[2 * i + 1];
    }
    double m[6];
    MF_CHECK_EQ_INT(mf_similarity_estimate(mf_arcface_template_112, mirrored, 5, m), MF_OK);
    MF_CHECK(m[0] * m[4] - m[1] * m[3] >= 0);
    MF_CHECK_NEAR(m[0], m[4], 1e-12);
    MF_CHECK_NEAR(m[1], -m[3], 1e-12);
}

static void test_similarity_bad_input(void)
{
    const float same[] = {5, 5, 5, 5, 5, 5};
    const float nan_pts[] = {0, 0, NAN, 1};
    double m[6];
    MF_CHECK_EQ_INT(mf_similarity_estimate(same, mf_arcface_template_112, 3, m), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_similarity_estimate(mf_arcface_template_112, mf_arcface_template_112, 1, m), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_similarity_estimate(nan_pts, mf_arcface_template_112, 2, m), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_similarity_estimate(NULL, mf_arcface_template_112, 2, m), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_similarity_estimate(mf_arcface_template_112, mf_arcface_template_112, 5, NULL), MF_EINVAL);
}

static void test_affine_invert(void)
{
    const double m[6] = {0.8, -0.6, 10, 0.6, 0.8, -5};
    double inv[6], x, y, bx, by;
    MF_CHECK_EQ_INT(mf_affine_invert(m, inv), MF_OK);
    mf_affine_apply(m, 12.5, -7.25, &x, &y);
    mf_affine_apply(inv, x, y, &bx, &by);
    MF_CHECK_NEAR(bx, 12.5, 1e-12);
    MF_CHECK_NEAR(by, -7.25, 1e-12);
    const double scale_shift[6] = {2, 0, 4, 0, 4, 8}, want[6] = {0.5, 0, -2, 0, 0.25, -2};
    MF_CHECK_EQ_INT(mf_affine_invert(scale_shift, inv), MF_OK);
    check_matrix(inv, want, 1e-15);
    double aliased[6];
    memcpy(aliased, scale_shift, sizeof aliased);
    MF_CHECK_EQ_INT(mf_affine_invert(aliased, aliased), MF_OK);
    check_matrix(aliased, want, 1e-15);
    const double singular[6] = {1, 2, 0, 2, 4, 0};
    MF_CHECK_EQ_INT(mf_affine_invert(singular, inv), MF_EINVAL);
    const double inf[6] = {INFINITY, 0, 0, 0, 1, 0};
    MF_CHECK_EQ_INT(mf_affine_invert(inf, inv), MF_EINVAL);
}

static void fill_pattern(uint8_t *px, int n)
{
    for (int i = 0; i < n; i++) px[i] = (uint8_t)(i * 37 + 11);
}

static void test_warp_identity_and_shift(void)
{
    uint8_t src_px[6 * 5 * 3], out_px[6 * 5 * 3];
    fill_pattern(src_px, (int)sizeof src_px);
    mf_image src = {src_px, 6, 5, 18, 3}, dst = {out_px, 6, 5, 18, 3};
    const double identity[6] = {1, 0, 0, 0, 1, 0};
    MF_CHECK_EQ_INT(mf_warp_affine(&src, identity, MF_BORDER_ZERO, &dst), MF_OK);
    MF_CHECK(!memcmp(src_px, out_px, sizeof src_px));
    /* Shift right 2, down 1: dst(x, y) = src(x - 2, y - 1). */
    const double shift[6] = {1, 0, 2, 0, 1, 1};
    MF_CHECK_EQ_INT(mf_warp_affine(&src, shift, MF_BORDER_ZERO, &dst), MF_OK);
    int bad = 0;
    for (int y = 0; y < 5; y++)
        for (int x = 0; x < 6; x++)
            for (int c = 0; c < 3; c++) {
                int sx = x - 2, sy = y - 1;
                int want = sx >= 0 && sy >= 0 ? src_px[(sy * 6 + sx) * 3 + c] : 0;
                bad += out_px[(y * 6 + x) * 3 + c] != want;
            }
    MF_CHECK_EQ_INT(bad, 0);
    MF_CHECK_EQ_INT(mf_warp_affine(&src, shift, MF_BORDER_REPLICATE, &dst), MF_OK);
    bad = 0;
    for (int y = 0; y < 5; y++)
        for (int x = 0; x < 6; x++)
            for (int c = 0; c < 3; c++) {
                int sx = x - 2 < 0 ? 0 : x - 2, sy = y - 1 < 0 ? 0 : y - 1;
                bad += out_px[(y * 6 + x) * 3 + c] != src_px[(sy * 6 + sx) * 3 + c];
            }
    MF_CHECK_EQ_INT(bad, 0);
}

static void test_warp_rotation_90(void)
{
    /* Forward (x, y) -> (3 - y, x) on a 4x4 gray image: dst(u, v) = src(v, 3 - u). */
    uint8_t src_px[16], out_px[16];
    fill_pattern(src_px, 16);
    mf_image src = {src_px, 4, 4, 4, 1}, dst = {out_px, 4, 4, 4, 1};
    const double rot[6] = {0, -1, 3, 1, 0, 0};
    MF_CHECK_EQ_INT(mf_warp_affine(&src, rot, MF_BORDER_ZERO, &dst), MF_OK);
    int bad = 0;
    for (int v = 0; v < 4; v++)
        for (int u = 0; u < 4; u++) bad += out_px[v * 4 + u] != src_px[(3 - u) * 4 + v];
    MF_CHECK_EQ_INT(bad, 0);
}

static void test_warp_far_outside_and_bad_input(void)
{
    uint8_t src_px[12], out_px[12 * 4];
    memset(src_px, 200, sizeof src_px);
    mf_image src = {src_px, 2, 2, 6, 3}, dst = {out_px, 4, 4, 12, 3};
    const double far[6] = {1e-3, 0, 1e12, 0, 1e-3, -1e12};
    MF_CHECK_EQ_INT(mf_warp_affine(&src, far, MF_BORDER_ZERO, &dst), MF_OK);
    int nonzero = 0;
    for (size_t i = 0; i < sizeof out_px; i++) nonzero += out_px[i] != 0;
    MF_CHECK_EQ_INT(nonzero, 0);
    MF_CHECK_EQ_INT(mf_warp_affine(&src, far, MF_BORDER_REPLICATE, &dst), MF_OK);
    MF_CHECK(out_px[0] == 200 && out_px[sizeof out_px - 1] == 200);
    const double singular[6] = {0, 0, 0, 0, 0, 0}, identity[6] = {1, 0, 0, 0, 1, 0};
    MF_CHECK_EQ_INT(mf_warp_affine(&src, singular, MF_BORDER_ZERO, &dst), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_warp_affine(&src, identity, (mf_border)7, &dst), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_warp_affine(&src, NULL, MF_BORDER_ZERO, &dst), MF_EINVAL);
    mf_image gray = {out_px, 4, 4, 4, 1};
    MF_CHECK_EQ_INT(mf_warp_affine(&src, identity, MF_BORDER_ZERO, &gray), MF_EINVAL);
    mf_image huge = {out_px, 20000, 1, 60000, 3};
    MF_CHECK_EQ_INT(mf_warp_affine(&src, identity, MF_BORDER_ZERO, &huge), MF_ERANGE);
}

int main(void)
{
    MF_RUN(test_similarity_identity);
    MF_RUN(test_similarity_rotation_90);
    MF_RUN(test_similarity_scale_translation);
    MF_RUN(test_similarity_never_reflects);
    MF_RUN(test_similarity_bad_input);
    MF_RUN(test_affine_invert);
    MF_RUN(test_warp_identity_and_shift);
    MF_RUN(test_warp_rotation_90);
    MF_RUN(test_warp_far_outside_and_bad_input);
    return mf_test_summary();
}
