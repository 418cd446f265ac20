/* Hand-computed cases: resize, tensor conversion, image views, NMS, drawing. */
#include "mf_test.h"
#include "mcuface/mf_image.h"
#include "mcuface/mf_status.h"
#include "vision/draw.h"
#include "vision/nms.h"
#include "vision/resize.h"
#include "vision/to_tensor.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void test_image_checks(void)
{
    uint8_t px[64];
    mf_image img;
    size_t bytes;
    MF_CHECK_EQ_INT(mf_image_init(&img, px, sizeof px, 4, 5, 3), MF_OK);
    MF_CHECK_EQ_INT(img.stride, 12);
    MF_CHECK_EQ_INT(mf_image_init(&img, px, sizeof px, 5, 5, 3), MF_ENOMEM);
    MF_CHECK_EQ_INT(mf_image_init(&img, px, sizeof px, 4, 4, 2), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_image_bytes(MF_IMAGE_MAX_SIDE, MF_IMAGE_MAX_SIDE, 3, &bytes), MF_OK);
    MF_CHECK(bytes == (size_t)MF_IMAGE_MAX_SIDE * MF_IMAGE_MAX_SIDE * 3);
    MF_CHECK_EQ_INT(mf_image_bytes(MF_IMAGE_MAX_SIDE + 1, 1, 3, &bytes), MF_ERANGE);
    MF_CHECK_EQ_INT(mf_image_bytes(INT_MAX, INT_MAX, 3, &bytes), MF_ERANGE);
    MF_CHECK_EQ_INT(mf_image_bytes(0, 1, 3, &bytes), MF_EINVAL);
    mf_image bad = {px, 4, 4, 11, 3};
    MF_CHECK_EQ_INT(mf_image_check(&bad), MF_EINVAL);
    mf_image wide = {px, 4, 4, MF_IMAGE_MAX_STRIDE + 1, 3};
    MF_CHECK_EQ_INT(mf_image_check(&wide), MF_ERANGE);
    MF_CHECK_EQ_INT(mf_image_check(NULL), MF_EINVAL);
    mf_image view;
    MF_CHECK_EQ_INT(mf_image_init(&img, px, sizeof px, 4, 5, 3), MF_OK);
    MF_CHECK_EQ_INT(mf_image_crop_view(&img, 1, 2, 3, 3, &view), MF_OK);
    MF_CHECK(view.data == px + 2 * 12 + 3 && view.stride == 12);
    MF_CHECK_EQ_INT(mf_image_crop_view(&img, 1, 2, 4, 3, &view), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_image_crop_view(&img, -1, 0, 1, 1, &view), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_image_crop_view(&img, INT_MAX, 0, 1, 1, &view), MF_EINVAL);
}

static void test_resize_2x2_to_4x4(void)
{
    /* Half-pixel centres: columns sample at -0.25, 0.25, 0.75, 1.25 -> weights
     * (1, 0), (.75, .25), (.25, .75), (0, 1); the same for rows. */
    uint8_t src_px[4] = {0, 100, 200, 40}, out[16];
    const uint8_t want[16] = {0, 25, 75, 100, 50, 59, 76, 85, 150, 126, 79, 55, 200, 160, 80, 40};
    mf_image src = {src_px, 2, 2, 2, 1}, dst = {out, 4, 4, 4, 1};
    MF_CHECK_EQ_INT(mf_resize_bilinear(&src, &dst), MF_OK);
    for (int i = 0; i < 16; i++) MF_CHECK_EQ_INT(out[i], want[i]);
    /* Same size is a copy; RGB follows the same weights per channel. */
    uint8_t rgb[12] = {0, 1, 2, 100, 101, 102, 200, 201, 202, 40, 41, 42}, copy[12], big[48];
    mf_image src3 = {rgb, 2, 2, 6, 3}, same = {copy, 2, 2, 6, 3}, big3 = {big, 4, 4, 12, 3};
    MF_CHECK_EQ_INT(mf_resize_bilinear(&src3, &same), MF_OK);
    MF_CHECK(!memcmp(rgb, copy, 12));
    MF_CHECK_EQ_INT(mf_resize_bilinear(&src3, &big3), MF_OK);
    for (int i = 0; i < 16; i++) MF_CHECK_EQ_INT(big[3 * i], want[i]);
    MF_CHECK_EQ_INT(mf_resize_bilinear(&src, &big3), MF_EINVAL); /* channel mismatch */
    MF_CHECK_EQ_INT(mf_resize_bilinear(NULL, &dst), MF_EINVAL);
}

static void test_crop_resize(void)
{
    /* Cropping one pixel and resizing gives a flat image of that pixel. */
    uint8_t px[5 * 4 * 3], out[80 * 80 * 3];
    for (int i = 0; i < (int)sizeof px; i++) px[i] = (uint8_t)(i * 7);
    mf_image src = {px, 5, 4, 15, 3}, dst = {out, 80, 80, 240, 3};
    MF_CHECK_EQ_INT(mf_crop_resize(&src, 3, 2, 1, 1, &dst), MF_OK);
    int bad = 0;
    for (int i = 0; i < 80 * 80; i++)
        for (int c = 0; c < 3; c++) bad += out[3 * i + c] != px[2 * 15 + 3 * 3 + c];
    MF_CHECK_EQ_INT(bad, 0);
    MF_CHECK_EQ_INT(mf_crop_resize(&src, 3, 2, 3, 1, &dst), MF_EINVAL);
}

static void test_to_tensor(void)
{
    uint8_t px[2 * 1 * 3] = {10, 20, 30, 40, 50, 60};
    mf_image img = {px, 2, 1, 6, 3};
    float out[6];
    const float mean[3] = {1, 2, 3}, scale[3] = {0.5f, 1, 2};
    MF_CHECK_EQ_INT(mf_image_to_tensor_f32(&img, out, mean, scale, 0), MF_OK);
    const float want_rgb[6] = {4.5f, 18, 54, 19.5f, 48, 114};
    MF_CHECK(mf_check_floats("rgb", out, want_rgb, 6, 0, 0));
    MF_CHECK_EQ_INT(mf_image_to_tensor_f32(&img, out, mean, scale, 1), MF_OK);
    const float want_bgr[6] = {14.5f, 18, 14, 29.5f, 48, 74};
    MF_CHECK(mf_check_floats("bgr", out, want_bgr, 6, 0, 0));
    mf_image gray = {px, 2, 1, 2, 1};
    MF_CHECK_EQ_INT(mf_image_to_tensor_f32(&gray, out, mean, scale, 0), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_image_to_tensor_f32(&img, NULL, mean, scale, 0), MF_EINVAL);
}

/* int8 input: the float values above quantized, by hand: ties round away
 * from zero (-1.5 -> -2, 13.5 -> 14), the zero point is added, and the
 * result saturates at 127. */
static void test_to_tensor_s8(void)
{
    uint8_t px[2 * 1 * 3] = {10, 20, 30, 40, 50, 60};
    mf_image img = {px, 2, 1, 6, 3};
    int8_t out[6];
    const float mean_ties[3] = {13, 2, 3}, mean[3] = {1, 2, 3}, scale[3] = {0.5f, 1, 2};
    MF_CHECK_EQ_INT(mf_image_to_tensor_s8(&img, out, mean_ties, scale, 0, 1.0f, 0), MF_OK);
    const int8_t want_ties[6] = {-2, 18, 54, 14, 48, 114};
    MF_CHECK(!memcmp(out, want_ties, 6));
    MF_CHECK_EQ_INT(mf_image_to_tensor_s8(&img, out, mean, scale, 0, 0.5f, -3), MF_OK);
    const int8_t want_rgb[6] = {6, 33, 105, 36, 93, 127}; /* 4.5, 18, 54, 19.5, 48, 114 at scale 0.5, zp -3 */
    MF_CHECK(!memcmp(out, want_rgb, 6));
    MF_CHECK_EQ_INT(mf_image_to_tensor_s8(&img, out, mean, scale, 1, 0.5f, -3), MF_OK);
    const int8_t want_bgr[6] = {26, 33, 25, 56, 93, 127}; /* 14.5, 18, 14, 29.5, 48, 74 */
    MF_CHECK(!memcmp(out, want_bgr, 6));
    MF_CHECK_EQ_INT(mf_image_to_tensor_s8(&img, out, mean, scale, 0, 0.0f, 0), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_image_to_tensor_s8(&img, out, mean, scale, 0, 1.0f, 128), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_image_to_tensor_s8(&img, NULL, mean, scale, 0, 1.0f, 0), MF_EINVAL);
}

static void test_iou(void)
{
    mf_box a = {0, 0, 10, 10, 1}, b = {5, 0, 15, 10, 1}, far = {20, 20, 30, 30, 1}, dot = {3, 3, 3, 3, 1};
    MF_CHECK_NEAR(mf_box_iou(&a, &b), 50.0 / 150.0, 1e-6);
    MF_CHECK_NEAR(mf_box_iou_plus1(&a, &b), 66.0 / 176.0, 1e-6);
    MF_CHECK_NEAR(mf_box_iou(&a, &far), 0, 0);
    MF_CHECK_NEAR(mf_box_iou(&dot, &dot), 0, 0);       /* zero area: defined as 0 */
    MF_CHECK_NEAR(mf_box_iou_plus1(&dot, &dot), 1, 0); /* one pixel in the +1 convention */
}

static void test_nms_hand_set(void)
{
    /* D beats A (IoU+1 = 50/100 = 0.5 > 0.4); B then survives because only
     * kept boxes suppress (IoU(D, B) = 36/114); E loses to C. */
    mf_box boxes[] = {
        {0, 0, 9, 9, 0.9f},     /* A */
        {1, 1, 10, 10, 0.8f},   /* B */
        {20, 20, 29, 29, 0.7f}, /* C */
        {0, 0, 9, 4, 0.95f},    /* D */
        {21, 20, 30, 29, 0.6f}, /* E */
    };
    int kept = mf_nms(boxes, 5, 0.4f);
    MF_CHECK_EQ_INT(kept, 3);
    MF_CHECK_NEAR(boxes[0].score, 0.95f, 0);
    MF_CHECK_NEAR(boxes[1].score, 0.8f, 0);
    MF_CHECK_NEAR(boxes[2].score, 0.7f, 0);
    /* IoU equal to the threshold is kept (py_cpu_nms keeps ovr <= thresh). */
    mf_box pair[] = {{0, 0, 9, 9, 0.9f}, {0, 0, 9, 4, 0.95f}};
    MF_CHECK_EQ_INT(mf_nms(pair, 2, 0.5f), 2);
    MF_CHECK_EQ_INT(mf_nms(NULL, 0, 0.4f), 0);
    MF_CHECK_EQ_INT(mf_nms(NULL, 3, 0.4f), MF_EINVAL);
    mf_box nan_box[] = {{0, 0, 1, 1, 0.0f / 0.0f}};
    MF_CHECK_EQ_INT(mf_nms(nan_box, 1, 0.4f), MF_EINVAL);
}

/* Reference: py_cpu_nms written out directly (sort indices, suppress). */
static int reference_nms(const mf_box *boxes, int n, float thr, int *keep)
{
    int order[400], alive[400], kept = 0;
    for (int i = 0; i < n; i++) order[i] = i, alive[i] = 1;
    for (int i = 1; i < n; i++) /* insertion sort by score, descending */
        for (int j = i; j > 0 && boxes[order[j]].score > boxes[order[j - 1]].score; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int i = 0; i < n; i++) {
        if (!alive[i]) continue;
        keep[kept++] = order[i];
        for (int j = i + 1; j < n; j++)
            if (alive[j] && mf_box_iou_plus1(&boxes[order[i]], &boxes[order[j]]) > thr) alive[j] = 0;
    }
    return kept;
}

static void test_nms_random_vs_reference(void)
{
    static mf_box boxes[400], work[400];
    int keep[400];
    unsigned seed = 12345;
    for (int round = 0; round < 20; round++) {
        int n = 50 + round * 17;
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            float x = (float)(seed >> 8 & 255), y = (float)(seed >> 16 & 127);
            float w = (float)(4 + (seed & 63)), h = (float)(4 + (seed >> 24 & 63));
            boxes[i] = (mf_box){x, y, x + w, y + h, (float)(i * 7919 % n) / (float)n}; /* distinct scores */
        }
        memcpy(work, boxes, sizeof(mf_box) * (size_t)n);
        int want = reference_nms(boxes, n, 0.4f, keep);
        int got = mf_nms(work, n, 0.4f);
        MF_CHECK_EQ_INT(got, want);
        int bad = 0;
        for (int i = 0; i < got && i < want; i++) bad += memcmp(&work[i], &boxes[keep[i]], sizeof(mf_box)) != 0;
        MF_CHECK_EQ_INT(bad, 0);
    }
}

static int count_colour(const uint8_t *px, int n, uint8_t v)
{
    int c = 0;
    for (int i = 0; i < n; i++) c += px[i] == v;
    return c;
}

static void test_draw(void)
{
    /* A 10x8 gray image inside a padded buffer: stride 12, canaries at the end of each row. */
    uint8_t buf[12 * 8];
    memset(buf, 0, sizeof buf);
    mf_image img = {buf, 10, 8, 12, 1};
    const uint8_t white[3] = {255, 255, 255};
    MF_CHECK_EQ_INT(mf_draw_rect(&img, 2, 1, 6, 5, 1, white), MF_OK);
    MF_CHECK_EQ_INT(count_colour(buf, (int)sizeof buf, 255), 16); /* 5x5 outline */
    MF_CHECK(buf[1 * 12 + 2] == 255 && buf[5 * 12 + 6] == 255 && buf[3 * 12 + 4] == 0);
    memset(buf, 0, sizeof buf);
    MF_CHECK_EQ_INT(mf_draw_dot(&img, 4, 4, 2, white), MF_OK);
    MF_CHECK_EQ_INT(count_colour(buf, (int)sizeof buf, 255), 13); /* dx^2 + dy^2 <= 4 */
    memset(buf, 0, sizeof buf);
    MF_CHECK_EQ_INT(mf_draw_dot(&img, 0, 0, 0, white), MF_OK);
    MF_CHECK_EQ_INT(count_colour(buf, (int)sizeof buf, 255), 1);
    /* Wild coordinates clip; nothing lands in the row padding. */
    memset(buf, 0, sizeof buf);
    MF_CHECK_EQ_INT(mf_draw_rect(&img, INT_MIN, INT_MIN, INT_MAX, INT_MAX, 3, white), MF_OK);
    MF_CHECK_EQ_INT(mf_draw_rect(&img, -5, -5, 100, 3, 1000, white), MF_OK);
    MF_CHECK_EQ_INT(mf_draw_dot(&img, 11, -1, 3, white), MF_OK);
    MF_CHECK_EQ_INT(mf_draw_dot(&img, INT_MAX, INT_MIN, 5, white), MF_OK);
    int padding = 0;
    for (int y = 0; y < 8; y++) padding += buf[y * 12 + 10] | buf[y * 12 + 11];
    MF_CHECK_EQ_INT(padding, 0);
    /* RGB colour order. */
    uint8_t rgb[3 * 3 * 3] = {0};
    mf_image img3 = {rgb, 3, 3, 9, 3};
    const uint8_t red[3] = {255, 0, 0};
    MF_CHECK_EQ_INT(mf_draw_dot(&img3, 1, 1, 0, red), MF_OK);
    MF_CHECK(rgb[12] == 255 && rgb[13] == 0 && rgb[14] == 0);
    MF_CHECK_EQ_INT(mf_draw_rect(&img3, 0, 0, 2, 2, 0, red), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_draw_dot(&img3, 0, 0, -1, red), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_draw_dot(&img3, 0, 0, 1, NULL), MF_EINVAL);
}

/* Text: "10." at scale 1 and 2 against the glyphs written out by hand. */
static void test_draw_text(void)
{
    static const char *const expect[5] = {
        /* 1   0   .  (3 cells + 1 gap each) */
        ".#..###....",
        "##..#.#....",
        ".#..#.#....",
        ".#..#.#....",
        "###.###..#.",
    };
    uint8_t buf[12 * 7] = {0};
    mf_image img = {buf, 12, 7, 12, 1};
    const uint8_t white[3] = {255, 255, 255};
    MF_CHECK_EQ_INT(mf_draw_text_width("10.", 1), 11);
    MF_CHECK_EQ_INT(mf_draw_text(&img, 0, 1, "10.", 1, white), MF_OK);
    int wrong = 0;
    for (int y = 0; y < 7; y++)
        for (int x = 0; x < 12; x++) {
            int want = y >= 1 && y <= 5 && x < 11 && expect[y - 1][x] == '#';
            wrong += (buf[y * 12 + x] == 255) != want;
        }
    MF_CHECK_EQ_INT(wrong, 0);
    /* scale 2: every cell is a 2x2 block */
    uint8_t big[24 * 10] = {0};
    mf_image img2 = {big, 24, 10, 24, 1};
    MF_CHECK_EQ_INT(mf_draw_text(&img2, 0, 0, "10.", 2, white), MF_OK);
    wrong = 0;
    for (int y = 0; y < 10; y++)
        for (int x = 0; x < 24; x++) wrong += (big[y * 24 + x] == 255) != (x < 22 && expect[y / 2][x / 2] == '#');
    MF_CHECK_EQ_INT(wrong, 0);
    /* clipping: partly and wholly outside, extreme coordinates */
    MF_CHECK_EQ_INT(mf_draw_text(&img, -2, -3, "8", 1, white), MF_OK);
    MF_CHECK_EQ_INT(mf_draw_text(&img, INT_MAX, INT_MIN, "888", 64, white), MF_OK);
    /* a character outside the font draws nothing */
    uint8_t before[sizeof buf];
    memcpy(before, buf, sizeof buf);
    MF_CHECK_EQ_INT(mf_draw_text(&img, 0, 0, "1z", 1, white), MF_EINVAL);
    MF_CHECK(memcmp(before, buf, sizeof buf) == 0);
    MF_CHECK_EQ_INT(mf_draw_text(&img, 0, 0, NULL, 1, white), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_draw_text(&img, 0, 0, "1", 0, white), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_draw_text(&img, 0, 0, "1", 65, white), MF_ERANGE);
}

int main(void)
{
    MF_RUN(test_image_checks);
    MF_RUN(test_resize_2x2_to_4x4);
    MF_RUN(test_crop_resize);
    MF_RUN(test_to_tensor);
    MF_RUN(test_to_tensor_s8);
    MF_RUN(test_iou);
    MF_RUN(test_nms_hand_set);
    MF_RUN(test_nms_random_vs_reference);
    MF_RUN(test_draw);
    MF_RUN(test_draw_text);
    return mf_test_summary();
}
