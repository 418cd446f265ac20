/* mf_frame: validation in mf_frame_init (every refusal the header lists),
 * the views of mf_frame_from_image, and mf_frame_to_image on pixels whose
 * RGB was worked out by hand from the formulas in mf_frame.h (cv2 agrees:
 * test_frame_convert.c). */
#include "mf_test.h"
#include "mcuface/mf_frame.h"
#include "mcuface/mf_status.h"
#include "vision/frame.h"
#include <stdint.h>
#include <string.h>

static uint8_t pixels[4096];

static int init(mf_pixel_format fmt, size_t size, int32_t w, int32_t h, int32_t stride)
{
    mf_frame f;
    return mf_frame_init(&f, fmt, pixels, size, w, h, stride);
}

static void test_init_accepts_and_fills(void)
{
    mf_frame f;
    MF_CHECK_EQ_INT(mf_frame_init(&f, MF_PIXEL_RGB565, pixels, 4 * 2 * 3, 4, 3, 0), MF_OK);
    MF_CHECK(f.data == pixels);
    MF_CHECK_EQ_INT(f.size, 24);
    MF_CHECK_EQ_INT(f.width, 4);
    MF_CHECK_EQ_INT(f.height, 3);
    MF_CHECK_EQ_INT(f.stride, 8); /* 0 = tightly packed */
    MF_CHECK_EQ_INT(f.format, MF_PIXEL_RGB565);
    MF_CHECK_EQ_INT(mf_frame_check(&f), MF_OK);
    /* tight stride per format */
    static const struct { mf_pixel_format fmt; int32_t stride; } tight[] = {
        {MF_PIXEL_RGB888, 12}, {MF_PIXEL_BGR888, 12}, {MF_PIXEL_RGB565, 8}, {MF_PIXEL_RGB565_BE, 8},
        {MF_PIXEL_YUYV, 8},    {MF_PIXEL_UYVY, 8},    {MF_PIXEL_NV12, 4},  {MF_PIXEL_GRAY8, 4}};
    for (size_t i = 0; i < sizeof tight / sizeof tight[0]; i++) {
        MF_CHECK_EQ_INT(mf_frame_init(&f, tight[i].fmt, pixels, sizeof pixels, 4, 2, 0), MF_OK);
        MF_CHECK_EQ_INT(f.stride, tight[i].stride);
        MF_CHECK_EQ_INT(mf_pixel_format_bytes(tight[i].fmt) * 4, tight[i].stride);
    }
    MF_CHECK_EQ_INT(mf_pixel_format_bytes((mf_pixel_format)0), 0);
}

static void test_init_refusals(void)
{
    mf_frame f;
    memset(&f, 0x5a, sizeof f);
    MF_CHECK_EQ_INT(mf_frame_init(&f, MF_PIXEL_RGB888, NULL, 100, 2, 2, 0), MF_EINVAL);
    MF_CHECK(f.data == NULL && f.width == 0 && f.size == 0); /* zeroed on error */
    MF_CHECK_EQ_INT(mf_frame_init(NULL, MF_PIXEL_RGB888, pixels, 100, 2, 2, 0), MF_EINVAL);
    /* unknown formats */
    MF_CHECK_EQ_INT(init((mf_pixel_format)0, sizeof pixels, 2, 2, 0), MF_EINVAL);
    MF_CHECK_EQ_INT(init((mf_pixel_format)9, sizeof pixels, 2, 2, 0), MF_EINVAL);
    MF_CHECK_EQ_INT(init((mf_pixel_format)-1, sizeof pixels, 2, 2, 0), MF_EINVAL);
    /* sides */
    MF_CHECK_EQ_INT(init(MF_PIXEL_GRAY8, sizeof pixels, 0, 2, 0), MF_EINVAL);
    MF_CHECK_EQ_INT(init(MF_PIXEL_GRAY8, sizeof pixels, 2, -1, 0), MF_EINVAL);
    MF_CHECK_EQ_INT(init(MF_PIXEL_GRAY8, SIZE_MAX, MF_IMAGE_MAX_SIDE + 1, 1, 0), MF_ERANGE);
    MF_CHECK_EQ_INT(init(MF_PIXEL_GRAY8, SIZE_MAX, 1, MF_IMAGE_MAX_SIDE + 1, 0), MF_ERANGE);
    /* strides: below the row bytes, negative, above the cap */
    MF_CHECK_EQ_INT(init(MF_PIXEL_RGB565, sizeof pixels, 4, 2, 7), MF_EINVAL);
    MF_CHECK_EQ_INT(init(MF_PIXEL_RGB565, sizeof pixels, 4, 2, 8), MF_OK);
    MF_CHECK_EQ_INT(init(MF_PIXEL_RGB888, sizeof pixels, 4, 2, 11), MF_EINVAL);
    MF_CHECK_EQ_INT(init(MF_PIXEL_YUYV, sizeof pixels, 4, 2, -8), MF_EINVAL);
    MF_CHECK_EQ_INT(init(MF_PIXEL_GRAY8, SIZE_MAX, 4, 2, MF_IMAGE_MAX_STRIDE + 1), MF_ERANGE);
    MF_CHECK_EQ_INT(init(MF_PIXEL_GRAY8, SIZE_MAX, 4, 2, MF_IMAGE_MAX_STRIDE), MF_OK);
    /* odd sizes for the subsampled formats; fine for the others */
    MF_CHECK_EQ_INT(init(MF_PIXEL_YUYV, sizeof pixels, 3, 2, 0), MF_EINVAL);
    MF_CHECK_EQ_INT(init(MF_PIXEL_UYVY, sizeof pixels, 5, 3, 0), MF_EINVAL);
    MF_CHECK_EQ_INT(init(MF_PIXEL_YUYV, sizeof pixels, 4, 3, 0), MF_OK); /* odd height is fine in 4:2:2 */
    MF_CHECK_EQ_INT(init(MF_PIXEL_NV12, sizeof pixels, 3, 2, 0), MF_EINVAL);
    MF_CHECK_EQ_INT(init(MF_PIXEL_NV12, sizeof pixels, 4, 3, 0), MF_EINVAL);
    MF_CHECK_EQ_INT(init(MF_PIXEL_NV12, sizeof pixels, 1, 1, 0), MF_EINVAL);
    MF_CHECK_EQ_INT(init(MF_PIXEL_RGB565, sizeof pixels, 3, 3, 0), MF_OK);
    MF_CHECK_EQ_INT(init(MF_PIXEL_RGB888, sizeof pixels, 1, 1, 0), MF_OK);
}

static void test_init_sizes(void)
{
    /* rows STRIDE apart, the last one may stop at its row bytes */
    MF_CHECK_EQ_INT(init(MF_PIXEL_RGB888, 10 * 2 + 9, 3, 3, 10), MF_OK);
    MF_CHECK_EQ_INT(init(MF_PIXEL_RGB888, 10 * 2 + 8, 3, 3, 10), MF_EINVAL);
    MF_CHECK_EQ_INT(init(MF_PIXEL_YUYV, 12 * 3 + 8, 4, 4, 12), MF_OK);
    MF_CHECK_EQ_INT(init(MF_PIXEL_YUYV, 12 * 3 + 7, 4, 4, 12), MF_EINVAL);
    /* NV12 6x4, stride 8: 4 Y rows (32 bytes), then UV rows at 32 and 40, the last 6 bytes long */
    MF_CHECK_EQ_INT(init(MF_PIXEL_NV12, 8 * 4 + 8 + 6, 6, 4, 8), MF_OK);
    MF_CHECK_EQ_INT(init(MF_PIXEL_NV12, 8 * 4 + 8 + 5, 6, 4, 8), MF_EINVAL);
    MF_CHECK_EQ_INT(init(MF_PIXEL_NV12, 6 * 6, 6, 4, 0), MF_OK);
    MF_CHECK_EQ_INT(init(MF_PIXEL_NV12, 6 * 4, 6, 4, 0), MF_EINVAL); /* Y plane only */
    MF_CHECK_EQ_INT(init(MF_PIXEL_GRAY8, 0, 1, 1, 0), MF_EINVAL);
    /* The largest frame: ~1.6 GB of NV12 needed; computed without wrapping on 32-bit size_t. */
    uint64_t need = (uint64_t)MF_IMAGE_MAX_STRIDE * MF_IMAGE_MAX_SIDE + (uint64_t)MF_IMAGE_MAX_STRIDE *
                    (MF_IMAGE_MAX_SIDE / 2 - 1) + MF_IMAGE_MAX_SIDE;
    MF_CHECK_EQ_INT(init(MF_PIXEL_NV12, (size_t)need, MF_IMAGE_MAX_SIDE, MF_IMAGE_MAX_SIDE, MF_IMAGE_MAX_STRIDE), MF_OK);
    MF_CHECK_EQ_INT(init(MF_PIXEL_NV12, (size_t)need - 1, MF_IMAGE_MAX_SIDE, MF_IMAGE_MAX_SIDE, MF_IMAGE_MAX_STRIDE),
                    MF_EINVAL);
    MF_CHECK_EQ_INT(init(MF_PIXEL_RGB888, 100, MF_IMAGE_MAX_SIDE, MF_IMAGE_MAX_SIDE, 0), MF_EINVAL);
}

static void test_from_image(void)
{
    mf_image img = {pixels, 5, 4, 16, 3};
    mf_frame f;
    MF_CHECK_EQ_INT(mf_frame_from_image(&img, &f), MF_OK);
    MF_CHECK(f.data == pixels && f.format == MF_PIXEL_RGB888 && f.stride == 16 && f.width == 5 && f.height == 4);
    MF_CHECK_EQ_INT(f.size, 16 * 3 + 15);
    mf_image gray = {pixels, 5, 4, 7, 1};
    MF_CHECK_EQ_INT(mf_frame_from_image(&gray, &f), MF_OK);
    MF_CHECK(f.format == MF_PIXEL_GRAY8 && f.stride == 7 && f.size == 7 * 3 + 5);
    mf_image bad = {pixels, 5, 4, 14, 3};
    MF_CHECK_EQ_INT(mf_frame_from_image(&bad, &f), MF_EINVAL);
    MF_CHECK(f.data == NULL);
    MF_CHECK_EQ_INT(mf_frame_from_image(NULL, &f), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_frame_from_image(&img, NULL), MF_EINVAL);
    mf_image view;
    MF_CHECK_EQ_INT(mf_frame_from_image(&img, &f), MF_OK);
    MF_CHECK_EQ_INT(mf_frame_rgb_view(&f, &view), 1);
    MF_CHECK(view.data == pixels && view.stride == 16 && view.channels == 3);
    MF_CHECK_EQ_INT(mf_frame_from_image(&gray, &f), MF_OK);
    MF_CHECK_EQ_INT(mf_frame_rgb_view(&f, &view), 0);
}

/* One frame of FORMAT from BYTES (tight), converted: RGB of each pixel into OUT. */
static int convert(mf_pixel_format fmt, const uint8_t *bytes, size_t n, int32_t w, int32_t h, uint8_t *out)
{
    mf_frame f;
    mf_image rgb = {out, w, h, w * 3, 3};
    int err = mf_frame_init(&f, fmt, bytes, n, w, h, 0);
    return err ? err : mf_frame_to_image(&f, &rgb);
}

static void test_hand_computed_pixels(void)
{
    uint8_t out[3 * 8];
    /* 565 words 0xF81F (magenta), 0x07E0 (green), 0x001F (blue): channel bits shifted up, low bits 0 */
    static const uint8_t le[6] = {0x1F, 0xF8, 0xE0, 0x07, 0x1F, 0x00};
    static const uint8_t be[6] = {0xF8, 0x1F, 0x07, 0xE0, 0x00, 0x1F};
    static const uint8_t want565[9] = {248, 0, 248, 0, 252, 0, 0, 0, 248};
    MF_CHECK_EQ_INT(convert(MF_PIXEL_RGB565, le, 6, 3, 1, out), MF_OK);
    MF_CHECK(memcmp(out, want565, 9) == 0);
    MF_CHECK_EQ_INT(convert(MF_PIXEL_RGB565_BE, be, 6, 3, 1, out), MF_OK);
    MF_CHECK(memcmp(out, want565, 9) == 0);
    /* YUYV pairs: (16,16 | 128,128) black; (235, 255 | 128,128) white (255.4 and 278.7 saturate);
     * (128, 128) gray 130 (1.164 * 112 + 0.5 = 130.9, floored); (81, 81 | U 90, V 240): red,
     * R = (65 * 1220542 + 112 * 1673527 + 2^19) >> 20 = 254, G = -39852 >> 20 -> 0, B < 0 -> 0. */
    static const uint8_t yuyv[16] = {16, 128, 16, 128, 235, 128, 255, 128, 128, 128, 128, 128, 81, 90, 81, 240};
    static const uint8_t want_yuv[24] = {0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255,
                                         130, 130, 130, 130, 130, 130, 254, 0, 0, 254, 0, 0};
    MF_CHECK_EQ_INT(convert(MF_PIXEL_YUYV, yuyv, 16, 8, 1, out), MF_OK);
    MF_CHECK(memcmp(out, want_yuv, 24) == 0);
    uint8_t uyvy[16];
    for (int i = 0; i < 16; i += 2) uyvy[i] = yuyv[i + 1], uyvy[i + 1] = yuyv[i]; /* Y U -> U Y */
    MF_CHECK_EQ_INT(convert(MF_PIXEL_UYVY, uyvy, 16, 8, 1, out), MF_OK);
    MF_CHECK(memcmp(out, want_yuv, 24) == 0);
    /* NV12 4x2: blocks (Y 235 / U V 128) white and (Y 81 / U 90 V 240) red */
    static const uint8_t nv12[12] = {235, 255, 81, 81, 255, 235, 81, 81, 128, 128, 90, 240};
    static const uint8_t want_nv12[24] = {255, 255, 255, 255, 255, 255, 254, 0, 0, 254, 0, 0,
                                          255, 255, 255, 255, 255, 255, 254, 0, 0, 254, 0, 0};
    MF_CHECK_EQ_INT(convert(MF_PIXEL_NV12, nv12, 12, 4, 2, out), MF_OK);
    MF_CHECK(memcmp(out, want_nv12, 24) == 0);
    static const uint8_t bgr[6] = {1, 2, 3, 4, 5, 6}, rgb_of_bgr[6] = {3, 2, 1, 6, 5, 4};
    MF_CHECK_EQ_INT(convert(MF_PIXEL_BGR888, bgr, 6, 2, 1, out), MF_OK);
    MF_CHECK(memcmp(out, rgb_of_bgr, 6) == 0);
    static const uint8_t gray[2] = {7, 250}, rgb_of_gray[6] = {7, 7, 7, 250, 250, 250};
    MF_CHECK_EQ_INT(convert(MF_PIXEL_GRAY8, gray, 2, 2, 1, out), MF_OK);
    MF_CHECK(memcmp(out, rgb_of_gray, 6) == 0);
}

static void test_to_image_refusals(void)
{
    static uint8_t src[64], dst[64];
    mf_frame f;
    MF_CHECK_EQ_INT(mf_frame_init(&f, MF_PIXEL_YUYV, src, sizeof src, 4, 2, 0), MF_OK);
    mf_image ok = {dst, 4, 2, 12, 3}, gray = {dst, 4, 2, 4, 1}, small = {dst, 2, 2, 6, 3};
    MF_CHECK_EQ_INT(mf_frame_to_image(&f, &ok), MF_OK);
    MF_CHECK_EQ_INT(mf_frame_to_image(&f, &gray), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_frame_to_image(&f, &small), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_frame_to_image(NULL, &ok), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_frame_to_image(&f, NULL), MF_EINVAL);
    /* frames filled by hand are checked as mf_frame_init would */
    mf_frame hand = f;
    hand.size = 15;
    MF_CHECK_EQ_INT(mf_frame_to_image(&hand, &ok), MF_EINVAL);
    hand = f;
    hand.width = 3;
    MF_CHECK_EQ_INT(mf_frame_check(&hand), MF_EINVAL);
    hand = f;
    hand.format = (mf_pixel_format)42;
    MF_CHECK_EQ_INT(mf_frame_to_image(&hand, &ok), MF_EINVAL);
    hand = f;
    hand.data = NULL;
    MF_CHECK_EQ_INT(mf_frame_check(&hand), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_frame_check(NULL), MF_EINVAL);
}

int main(void)
{
    MF_RUN(test_init_accepts_and_fills);
    MF_RUN(test_init_refusals);
    MF_RUN(test_init_sizes);
    MF_RUN(test_from_image);
    MF_RUN(test_hand_computed_pixels);
    MF_RUN(test_to_image_refusals);
    return mf_test_summary();
}
