/* Host image files: PNG round trip, format dispatch by magic bytes, a real
 * JPEG against cv2.imread (through tools/fixtures/make_vision_fixtures.py at
 * test time: libjpeg-turbo with the same settings, so bit for bit), and
 * truncated / corrupted / oversized inputs that must fail cleanly (every
 * truncation of a PNG or JPEG refused, never filled in). */
#include "mf_test.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char scratch_path[1024];

/* A path in the build directory (MCUFACE_BUILD) or /tmp. */
static const char *scratch(const char *name)
{
    const char *dir = getenv("MCUFACE_BUILD");
    snprintf(scratch_path, sizeof scratch_path, "%s/%s", dir ? dir : "/tmp", name);
    return scratch_path;
}

static void test_png_round_trip(void)
{
    uint8_t px[7 * 5 * 3 + 4];
    for (size_t i = 0; i < sizeof px; i++) px[i] = (uint8_t)(i * 53 + 7);
    mf_image img = {px, 7, 5, 7 * 3, 3}, back;
    const char *path = scratch("vision_round_trip.png");
    MF_CHECK_EQ_INT(mf_image_save_png(path, &img), MF_OK);
    MF_CHECK_EQ_INT(mf_image_load(path, &back), MF_OK);
    MF_CHECK(back.width == 7 && back.height == 5 && back.channels == 3 && back.stride == 21);
    MF_CHECK(back.data && !memcmp(back.data, px, 7 * 5 * 3));
    mf_image_free(&back);
    MF_CHECK(back.data == NULL);
    mf_image_free(&back); /* twice is harmless */
    /* Gray with a padded stride loads as RGB with equal channels. */
    mf_image gray = {px, 3, 4, 5, 1};
    MF_CHECK_EQ_INT(mf_image_save_png(path, &gray), MF_OK);
    MF_CHECK_EQ_INT(mf_image_load(path, &back), MF_OK);
    int bad = 0;
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 3; x++)
            for (int c = 0; c < 3; c++) bad += back.data[(y * 3 + x) * 3 + c] != px[y * 5 + x];
    MF_CHECK_EQ_INT(bad, 0);
    mf_image_free(&back);
    MF_CHECK_EQ_INT(mf_image_save_png("/nonexistent-dir/x.png", &img), MF_EIO);
    mf_image broken = {NULL, 7, 5, 21, 3};
    MF_CHECK_EQ_INT(mf_image_save_png(path, &broken), MF_EINVAL);
}

static void test_netpbm(void)
{
    static const uint8_t ppm[] = "P6\n2 1\n255\n\x01\x02\x03\xfa\xfb\xfc";
    static const uint8_t pgm[] = "P5 2 1 255 \x10\x20";
    mf_image img;
    MF_CHECK_EQ_INT(mf_image_decode(ppm, sizeof ppm - 1, &img), MF_OK);
    MF_CHECK(img.width == 2 && img.height == 1 && img.data[0] == 1 && img.data[5] == 0xfc);
    mf_image_free(&img);
    MF_CHECK_EQ_INT(mf_image_decode(pgm, sizeof pgm - 1, &img), MF_OK);
    MF_CHECK(img.width == 2 && img.data[0] == 0x10 && img.data[2] == 0x10 && img.data[3] == 0x20);
    mf_image_free(&img);
}

static void test_bad_inputs(void)
{
    mf_image img;
    static const char text[] = "hello, this is not an image";
    MF_CHECK_EQ_INT(mf_image_decode(text, sizeof text, &img), MF_EUNSUPPORTED);
    MF_CHECK(img.data == NULL);
    MF_CHECK_EQ_INT(mf_image_decode(text, 0, &img), MF_ECORRUPT);
    MF_CHECK_EQ_INT(mf_image_decode(NULL, 10, &img), MF_EINVAL);
    MF_CHECK_EQ_INT(mf_image_decode(text, sizeof text, NULL), MF_EINVAL);
    /* Oversized headers are refused before any pixel memory is allocated. */
    static const char wide[] = "P6\n20000 10\n255\n";
    static const char many[] = "P6\n8000 8000\n255\n";
    MF_CHECK_EQ_INT(mf_image_decode(wide, sizeof wide - 1, &img), MF_ERANGE);
    MF_CHECK_EQ_INT(mf_image_decode(many, sizeof many - 1, &img), MF_ERANGE);
    MF_CHECK_EQ_INT(mf_image_load("/nonexistent/image.jpg", &img), MF_ENOTFOUND);
    MF_CHECK_EQ_INT(mf_image_load(NULL, &img), MF_EINVAL);
    const char *empty = scratch("vision_empty.png");
    FILE *f = fopen(empty, "wb");
    if (f) fclose(f);
    MF_CHECK_EQ_INT(mf_image_load(empty, &img), MF_ECORRUPT);
    MF_CHECK_EQ_INT(mf_image_load(".", &img), MF_EUNSUPPORTED); /* a directory */
}

/* Only JPEG, PNG, PPM/PGM and BMP are decoded; other formats are refused by
 * their magic bytes before any parser runs, and the first bytes of a known
 * magic (a file cut short) are corrupt, not another format. */
static void test_format_dispatch(void)
{
    static const struct {
        const char *what;
        const char *bytes;
        size_t n;
    } others[] = {
        {"GIF", "GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14},
        {"Radiance HDR", "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 64\n\x02\x02\x00\x40", 50},
        {"Softimage PIC", "\x53\x80\xf6\x34\x00\x00\x00\x00", 8},
        {"TGA", "\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10\x00\x10\x00\x18\x00", 18},
        {"PSD", "8BPS\x00\x01\x00\x00\x00\x00\x00\x00\x00\x03", 14},
        {"TIFF", "II*\x00\x08\x00\x00\x00", 8},
        {"ASCII PPM", "P3\n1 1\n255\n1 2 3\n", 18},
        {"PAM", "P7\nWIDTH 1\n", 11},
    };
    mf_image img;
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        int err = mf_image_decode(others[i].bytes, others[i].n, &img);
        if (err != MF_EUNSUPPORTED) printf("  %s: status %d\n", others[i].what, err);
        MF_CHECK_EQ_INT(err, MF_EUNSUPPORTED);
        MF_CHECK(img.data == NULL);
    }
    MF_CHECK_EQ_INT(mf_image_decode("\x89PNG\r", 5, &img), MF_ECORRUPT);
    MF_CHECK_EQ_INT(mf_image_decode("\xff\xd8", 2, &img), MF_ECORRUPT);
    MF_CHECK_EQ_INT(mf_image_decode("\x89PNG\r\n\x1a\n", 8, &img), MF_ECORRUPT);
    MF_CHECK_EQ_INT(mf_image_decode("\xff\xd8\xff\xd9", 4, &img), MF_ECORRUPT);
}

/* A PNG of W x H (IHDR with a valid CRC) with an empty IDAT. */
static size_t png_header(uint8_t *out, uint32_t w, uint32_t h)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    memcpy(out, sig, 8);
    uint8_t *c = out + 8;
    const uint8_t fields[] = {0, 0, 0, 13, 'I', 'H', 'D', 'R', (uint8_t)(w >> 24), (uint8_t)(w >> 16), (uint8_t)(w >> 8),
                              (uint8_t)w, (uint8_t)(h >> 24), (uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h, 8, 2, 0,
                              0, 0};
    memcpy(c, fields, sizeof fields);
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 4; i < sizeof fields; i++) {
        crc ^= c[i];
        for (int b = 0; b < 8; b++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    crc = ~crc;
    uint8_t *t = c + sizeof fields;
    t[0] = (uint8_t)(crc >> 24), t[1] = (uint8_t)(crc >> 16), t[2] = (uint8_t)(crc >> 8), t[3] = (uint8_t)crc;
    /* An empty IDAT and IEND, with their CRCs, so that libpng reaches the image data. */
    static const uint8_t tail[] = {0, 0, 0, 0, 'I', 'D', 'A', 'T', 0x35, 0xAF, 0x06, 0x1E,
                                   0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    memcpy(t + 4, tail, sizeof tail);
    return 8 + sizeof fields + 4 + sizeof tail;
}

/* PNG sizes are checked before any pixel memory: above MF_IMAGE_MAX_SIDE
 * (libpng's own limit would say "corrupt"), above the pixel limit, and
 * above what a file this small may declare. Within the caps, the missing
 * IDAT is corrupt. */
static void test_png_size_caps(void)
{
    uint8_t file[64];
    mf_image img;
    const struct {
        uint32_t w, h;
        int want;
    } cases[] = {{20000, 10, MF_ERANGE}, {2000000, 1, MF_ERANGE}, {10, 0x7fffffffu, MF_ERANGE},
                 {16000, 16000, MF_ERANGE}, {2000, 2000, MF_ERANGE}, {1000, 1000, MF_ECORRUPT}, {0, 5, MF_ECORRUPT}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = png_header(file, cases[i].w, cases[i].h);
        int err = mf_image_decode(file, n, &img);
        if (err != cases[i].want) printf("  IHDR %ux%u: status %d\n", cases[i].w, cases[i].h, err);
        MF_CHECK_EQ_INT(err, cases[i].want);
        MF_CHECK(img.data == NULL);
    }
}

/* Decodes every prefix length in steps (each must be refused: truncated),
 * then random corruptions, where the only requirements are no crash, a
 * clean status, and sane output on success. */
static void hammer(const uint8_t *bytes, size_t n, int *ok_count, int *err_count)
{
    uint8_t *copy = malloc(n);
    if (!copy) return;
    size_t step = n / 150 + 1;
    for (size_t len = 0; len < n; len += (len < 64 ? 1 : step)) {
        mf_image img;
        uint8_t *prefix = malloc(len ? len : 1); /* exactly sized, so ASan sees any overread */
        if (!prefix) break;
        if (len) memcpy(prefix, bytes, len);
        int err = mf_image_decode(prefix, len, &img);
        free(prefix);
        MF_CHECK(err == MF_ECORRUPT);
        MF_CHECK(img.data == NULL);
        (*err_count)++;
        mf_image_free(&img);
    }
    unsigned seed = 99;
    for (int round = 0; round < 150; round++) {
        memcpy(copy, bytes, n);
        int flips = 1 + round % 8;
        for (int k = 0; k < flips; k++) {
            seed = seed * 1664525u + 1013904223u;
            /* Half of the rounds hit the first 600 bytes, where the headers live. */
            size_t at = (round & 1) ? (seed >> 8) % (n < 600 ? n : 600) : (seed >> 8) % n;
            copy[at] ^= (uint8_t)(1u << (seed >> 28 & 7)) | (uint8_t)(seed & 0x80 ? 0xff : 0);
        }
        mf_image img;
        int err = mf_image_decode(copy, n, &img);
        MF_CHECK(err == MF_OK || err == MF_ECORRUPT || err == MF_ERANGE || err == MF_EUNSUPPORTED);
        if (err == MF_OK) {
            MF_CHECK(img.data && img.width >= 1 && img.height >= 1 && img.stride == img.width * 3);
            (*ok_count)++;
        } else {
            (*err_count)++;
        }
        mf_image_free(&img);
    }
    free(copy);
}

static void test_truncated_and_corrupted_png(void)
{
    uint8_t px[32 * 24 * 3];
    for (size_t i = 0; i < sizeof px; i++) px[i] = (uint8_t)((i * i) >> 3);
    mf_image img = {px, 32, 24, 96, 3};
    const char *path = scratch("vision_fuzz.png");
    MF_CHECK_EQ_INT(mf_image_save_png(path, &img), MF_OK);
    size_t n = 0;
    uint8_t *bytes = mf_test_read_file(path, &n);
    MF_CHECK(bytes != NULL);
    if (!bytes) return;
    int ok = 0, err = 0;
    hammer(bytes, n, &ok, &err);
    printf("  png %zu bytes: %d decoded, %d refused\n", n, ok, err);
    MF_CHECK(err > 0);
    free(bytes);
}

static void test_real_jpeg(void)
{
    const char *jpg = mf_test_shared_path("data/multiface/1.jpg");
    size_t n = 0;
    uint8_t *bytes = mf_test_read_file(jpg, &n);
    if (!bytes) {
        printf("  skipped: %s absent\n", jpg);
        return;
    }
    mf_image img;
    MF_CHECK_EQ_INT(mf_image_load(jpg, &img), MF_OK);
    /* Expected pixels from cv2.imread, computed now (never committed). */
    char cmd[2048];
    const char *expect_path = scratch("vision_imread_1.rgb");
    char expect_copy[1024];
    snprintf(expect_copy, sizeof expect_copy, "%s", expect_path);
    remove(expect_copy);
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 tools/fixtures/make_vision_fixtures.py --imread '%s' '%s' >/dev/null 2>&1", jpg,
             expect_copy);
    size_t en = 0;
    uint8_t *expect = system(cmd) == 0 ? mf_test_read_file(expect_copy, &en) : NULL;
    if (!expect || en < 8) {
        printf("  cv2 comparison skipped: python3 with cv2 not available\n");
    } else {
        int32_t w, h;
        memcpy(&w, expect, 4);
        memcpy(&h, expect + 4, 4);
        MF_CHECK_EQ_INT(img.width, w);
        MF_CHECK_EQ_INT(img.height, h);
        if (img.width == w && img.height == h && en == 8 + (size_t)w * h * 3) {
            /* Same library (Debian's libjpeg-turbo), same settings as
             * OpenCV (JDCT_ISLOW, fancy upsampling): the pixels are equal. */
            long long total = 0;
            int worst = 0;
            for (size_t i = 0; i < (size_t)w * h * 3; i++) {
                int d = abs((int)img.data[i] - (int)expect[8 + i]);
                total += d;
                if (d > worst) worst = d;
            }
            double mean = (double)total / ((double)w * h * 3);
            printf("  1.jpg %dx%d vs cv2.imread: mean |diff| %.3f, max %d\n", w, h, mean, worst);
            MF_CHECK_EQ_INT(worst, 0);
        }
    }
    free(expect);
    int ok = 0, err = 0;
    hammer(bytes, n, &ok, &err);
    printf("  jpeg %zu bytes: %d decoded, %d refused\n", n, ok, err);
    mf_image_free(&img);
    free(bytes);
}

int main(void)
{
    MF_RUN(test_png_round_trip);
    MF_RUN(test_netpbm);
    MF_RUN(test_bad_inputs);
    MF_RUN(test_format_dispatch);
    MF_RUN(test_png_size_caps);
    MF_RUN(test_truncated_and_corrupted_png);
    MF_RUN(test_real_jpeg);
    return mf_test_summary();
}
