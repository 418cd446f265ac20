/* mf_frame_to_image against cv2.cvtColor (tools/fixtures/make_frame_fixtures.py):
 * every format, random pixels, extreme Y/U/V bytes and 565 words, strides
 * wider than the row (padding filled with random bytes). The contract is bit
 * for bit (OpenCV's conversions are integer formulas). With no argument the
 * committed synthetic fixture is read; cmake/frame_tests.cmake also runs it on
 * the exhaustive fixture and on multiface photos, made by cv2 at test time.
 * Each record is also opened with one byte less than it needs, which
 * mf_frame_init must refuse. */
#include "mf_test.h"
#include "mcuface/mf_frame.h"
#include "mcuface/mf_status.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURE "tests/vision/fixtures/frame_opencv.bin"
#define FORMATS 9

typedef struct reader {
    const uint8_t *p, *end;
    int ok;
} reader;

static const uint8_t *take(reader *r, size_t n)
{
    if (!r->ok || (size_t)(r->end - r->p) < n) {
        r->ok = 0;
        return NULL;
    }
    const uint8_t *at = r->p;
    r->p += n;
    return at;
}

static uint32_t take_u32(reader *r)
{
    const uint8_t *b = take(r, 4);
    return b ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24 : 0;
}

static const char *format_names[FORMATS] = {"?", "RGB888", "BGR888", "RGB565", "RGB565_BE",
                                            "YUYV", "UYVY", "NV12", "GRAY8"};
static long frames_seen[FORMATS], pixels_seen[FORMATS], pixels_differing[FORMATS];
static int worst[FORMATS];

static void check_record(reader *r)
{
    int32_t fmt = (int32_t)take_u32(r), w = (int32_t)take_u32(r), h = (int32_t)take_u32(r);
    int32_t stride = (int32_t)take_u32(r);
    uint32_t frame_bytes = take_u32(r), label_bytes = take_u32(r);
    const uint8_t *label = take(r, label_bytes);
    const uint8_t *frame_px = take(r, frame_bytes);
    const uint8_t *want = r->ok && w > 0 && h > 0 ? take(r, (size_t)w * (size_t)h * 3) : NULL;
    MF_CHECK(r->ok && fmt > 0 && fmt < FORMATS);
    if (!r->ok || !want || fmt <= 0 || fmt >= FORMATS) {
        r->ok = 0;
        return;
    }
    mf_frame f;
    int err = mf_frame_init(&f, (mf_pixel_format)fmt, frame_px, frame_bytes, w, h, stride);
    MF_CHECK_EQ_INT(err, MF_OK);
    /* the fixture stores exactly the bytes the layout needs */
    MF_CHECK_EQ_INT(mf_frame_init(&f, (mf_pixel_format)fmt, frame_px, frame_bytes - 1, w, h, stride), MF_EINVAL);
    if (err) return;
    MF_CHECK_EQ_INT(mf_frame_init(&f, (mf_pixel_format)fmt, frame_px, frame_bytes, w, h, stride), MF_OK);
    /* an output stride wider than the row: the padding must stay untouched */
    int32_t out_stride = w * 3 + 5;
    size_t out_bytes = (size_t)out_stride * (size_t)h;
    uint8_t *got = malloc(out_bytes);
    MF_CHECK(got != NULL);
    if (!got) return;
    memset(got, 0xA5, out_bytes);
    mf_image rgb = {got, w, h, out_stride, 3};
    MF_CHECK_EQ_INT(mf_frame_to_image(&f, &rgb), MF_OK);
    long differing = 0;
    int padding_ok = 1;
    for (int32_t y = 0; y < h; y++) {
        const uint8_t *g = got + (size_t)y * (size_t)out_stride, *e = want + (size_t)y * (size_t)w * 3;
        for (int32_t i = 0; i < w * 3; i++) {
            int d = abs((int)g[i] - (int)e[i]);
            if (d > worst[fmt]) worst[fmt] = d;
            if (d && differing++ < 3)
                fprintf(stderr, "%s %.*s: pixel (%d, %d) channel %d: got %d, cv2 %d\n", format_names[fmt],
                        (int)label_bytes, (const char *)label, (int)(i / 3), (int)y, (int)(i % 3), g[i], e[i]);
        }
        for (int32_t i = w * 3; i < out_stride; i++) padding_ok &= g[i] == 0xA5;
    }
    MF_CHECK(padding_ok);
    MF_CHECK_EQ_INT(differing, 0);
    frames_seen[fmt]++;
    pixels_seen[fmt] += (long)w * h;
    pixels_differing[fmt] += differing;
    free(got);
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : FIXTURE;
    size_t n = 0;
    uint8_t *bytes = mf_test_read_file(path, &n);
    if (!bytes) {
        if (argc > 1) mf_test_skip("no frame fixture (made at test time by make_frame_fixtures.py)");
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    reader r = {bytes, bytes + n, 1};
    const uint8_t *magic = take(&r, 4);
    MF_CHECK(magic && memcmp(magic, "MFFR", 4) == 0);
    MF_CHECK_EQ_INT(take_u32(&r), 1);
    uint32_t count = take_u32(&r);
    MF_CHECK(count > 0);
    for (uint32_t i = 0; i < count && r.ok; i++) check_record(&r);
    MF_CHECK(r.ok && r.p == r.end);
    printf("%s: %u frames vs cv2.cvtColor\n", path, count);
    for (int fmt = 1; fmt < FORMATS; fmt++)
        if (frames_seen[fmt])
            printf("  %-9s %3ld frames %9ld pixels: max |diff| %d, %ld differing channel values\n", format_names[fmt],
                   frames_seen[fmt], pixels_seen[fmt], worst[fmt], pixels_differing[fmt]);
    free(bytes);
    return mf_test_summary();
}
