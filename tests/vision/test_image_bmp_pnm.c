/* Our own PPM/PGM and BMP parsers, on files built byte by byte here from
 * the format specifications: the decoded pixels must equal the pixels the
 * file was built from (bottom-up and top-down BMP alike), every truncation
 * must be refused, and the variants we do not handle (16-bit PNM, RLE BMP,
 * odd bit fields) must be MF_EUNSUPPORTED, never mis-decoded. */
#include "mf_test.h"
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_status.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 5 /* odd, so BMP rows need padding */
#define H 3

static uint8_t source[H][W][3];

static void make_source(void)
{
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            source[y][x][0] = (uint8_t)(40 * x + 1);
            source[y][x][1] = (uint8_t)(70 * y + 2);
            source[y][x][2] = (uint8_t)(x * 13 ^ y * 101);
        }
}

static int equals_source(const mf_image *img)
{
    return img->data && img->width == W && img->height == H && img->stride == W * 3 && img->channels == 3 &&
           !memcmp(img->data, source, sizeof source);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* A BMP of the source image: BPP 24 or 32, or 8 with each pixel's own
 * palette entry (W * H colours); INFO_SIZE 40 or 124; TOP_DOWN stores a
 * negative height; COMPRESSION written as given (masks appended for 3).
 * Returns the byte count written to OUT (large enough). */
static size_t make_bmp(uint8_t *out, int bpp, uint32_t info_size, int top_down, uint32_t compression)
{
    memset(out, 0, 4096);
    size_t palette_at = 14 + info_size + (compression == 3 && info_size == 40 ? 12 : 0);
    size_t palette_n = bpp == 8 ? (size_t)W * H : 0;
    size_t pixels_at = palette_at + 4 * palette_n;
    size_t row = ((size_t)W * bpp + 31) / 32 * 4;
    size_t total = pixels_at + row * H;
    out[0] = 'B';
    out[1] = 'M';
    put32(out + 2, (uint32_t)total);
    put32(out + 10, (uint32_t)pixels_at);
    uint8_t *info = out + 14;
    put32(info, info_size);
    put32(info + 4, W);
    put32(info + 8, top_down ? (uint32_t)-H : (uint32_t)H);
    put16(info + 12, 1);
    put16(info + 14, (uint32_t)bpp);
    put32(info + 16, compression);
    put32(info + 20, (uint32_t)(row * H));
    put32(info + 32, (uint32_t)palette_n);
    if (compression == 3) { /* R, G, B masks: in the header from V2 on, after it for 40 */
        uint8_t *m = info_size == 40 ? out + 14 + 40 : info + 40;
        put32(m, 0x00FF0000u);
        put32(m + 4, 0x0000FF00u);
        put32(m + 8, 0x000000FFu);
    }
    for (int y = 0; y < H; y++) {
        int stored_row = top_down ? y : H - 1 - y;
        uint8_t *r = out + pixels_at + (size_t)stored_row * row;
        for (int x = 0; x < W; x++) {
            const uint8_t *s = source[y][x];
            if (bpp == 8) {
                size_t index = (size_t)y * W + x;
                uint8_t *e = out + palette_at + 4 * index;
                e[0] = s[2], e[1] = s[1], e[2] = s[0];
                r[x] = (uint8_t)index;
            } else {
                uint8_t *p = r + (size_t)x * (bpp / 8);
                p[0] = s[2], p[1] = s[1], p[2] = s[0];
                if (bpp == 32) p[3] = 0x7f; /* alpha, dropped */
            }
        }
    }
    return total;
}

/* Each prefix goes in an exactly sized heap copy, so that under ASan any
 * read past the end is caught. */
static void check_all_truncations_refused(const uint8_t *bytes, size_t n)
{
    int bad = 0;
    for (size_t len = 1; len < n; len++) {
        uint8_t *copy = malloc(len);
        if (!copy) abort();
        memcpy(copy, bytes, len);
        mf_image img;
        int err = mf_image_decode(copy, len, &img);
        if (err != MF_ECORRUPT || img.data) bad++;
        mf_image_free(&img);
        free(copy);
    }
    MF_CHECK_EQ_INT(bad, 0);
}

static void test_bmp_layouts(void)
{
    static uint8_t file[4096];
    const struct {
        int bpp;
        uint32_t info_size, compression;
    } kinds[] = {{24, 40, 0}, {32, 40, 0}, {8, 40, 0}, {24, 124, 0}, {32, 40, 3}, {32, 124, 3}, {8, 108, 0}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (int top_down = 0; top_down < 2; top_down++) {
            size_t n = make_bmp(file, kinds[k].bpp, kinds[k].info_size, top_down, kinds[k].compression);
            mf_image img;
            MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_OK);
            if (!equals_source(&img)) {
                printf("  bmp %d-bit header %u compression %u %s: wrong pixels\n", kinds[k].bpp, kinds[k].info_size,
                       kinds[k].compression, top_down ? "top-down" : "bottom-up");
                MF_CHECK(0);
            }
            mf_image_free(&img);
            if (k == 0 || k == 2) check_all_truncations_refused(file, n);
        }
}

static void test_bmp_refusals(void)
{
    static uint8_t file[4096];
    mf_image img;
    size_t n = make_bmp(file, 24, 40, 0, 1); /* BI_RLE8 */
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_EUNSUPPORTED);
    n = make_bmp(file, 8, 40, 0, 1);
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_EUNSUPPORTED);
    n = make_bmp(file, 32, 40, 0, 3);
    put32(file + 14 + 40, 0x000000FFu); /* red in the low byte: not the plain layout */
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_EUNSUPPORTED);
    n = make_bmp(file, 24, 40, 0, 0);
    put16(file + 14 + 14, 16); /* 16-bit */
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_EUNSUPPORTED);
    n = make_bmp(file, 24, 40, 0, 0);
    put32(file + 14, 12); /* OS/2 core header */
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_EUNSUPPORTED);
    /* Hostile sizes: refused before allocating. */
    n = make_bmp(file, 24, 40, 0, 0);
    put32(file + 14 + 8, 0x80000000u); /* height INT32_MIN */
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_ERANGE);
    n = make_bmp(file, 24, 40, 0, 0);
    put32(file + 14 + 4, 16000);
    put32(file + 14 + 8, 16000);
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_ERANGE);
    put32(file + 14 + 4, 4000); /* within the caps but the pixels are not there */
    put32(file + 14 + 8, 4000);
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_ECORRUPT);
    put32(file + 14 + 4, 0);
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_ECORRUPT);
    n = make_bmp(file, 24, 40, 0, 0);
    put32(file + 10, 0xFFFFFFF0u); /* pixel offset past the end */
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_ECORRUPT);
    /* Found by fuzz_image_decode: a palette that fits before a pixel offset
     * lying past the end of the file (read out of bounds before the fix). */
    static const uint8_t fuzz_palette_past_end[] = {
        'B', 'M', 0x6e, 0x0b, 0, 0, 0, 0, 0, 0, 0x56, 0x03, 0, 0, 0x28, 0, 0, 0, 0x30, 0, 0, 0, 0x25, 0, 0, 0,
        0x01, 0, 0x08, 0, 0, 0, 0, 0, 0x58, 0xa5, 0x58, 0x58, 0x58, 0x58, 0x58, 0x60, 0x84, 0x60, 0x52, 0x87,
        0x75, 0, 0, 0, 0x14, 0, 0, 0};
    uint8_t *exact = malloc(sizeof fuzz_palette_past_end);
    if (!exact) abort();
    memcpy(exact, fuzz_palette_past_end, sizeof fuzz_palette_past_end);
    MF_CHECK_EQ_INT(mf_image_decode(exact, sizeof fuzz_palette_past_end, &img), MF_ECORRUPT);
    free(exact);
    n = make_bmp(file, 8, 40, 0, 0);
    put32(file + 14 + 32, 100000); /* palette larger than 256 */
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_ECORRUPT);
    MF_CHECK(img.data == NULL);
}

/* A P6 or P5 (gray: the source's green channel) file with HEADER_TEXT
 * between the magic and the raster, e.g. " 5 3 255\n". */
static size_t make_pnm(uint8_t *out, int gray, const char *header_text)
{
    size_t at = (size_t)sprintf((char *)out, "P%c%s", gray ? '5' : '6', header_text);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            if (gray) out[at++] = source[y][x][1];
            else memcpy(out + at, source[y][x], 3), at += 3;
        }
    return at;
}

static void test_pnm(void)
{
    static uint8_t file[4096];
    mf_image img;
    size_t n = make_pnm(file, 0, "\n# a comment\n5 3\n255\n");
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_OK);
    MF_CHECK(equals_source(&img));
    mf_image_free(&img);
    check_all_truncations_refused(file, n);
    memcpy(file + n, "P6 trailing", 11); /* bytes after the raster (a second image) are ignored */
    MF_CHECK_EQ_INT(mf_image_decode(file, n + 11, &img), MF_OK);
    MF_CHECK(equals_source(&img));
    mf_image_free(&img);
    n = make_pnm(file, 1, " 5\t3 #c\r255 ");
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_OK);
    int bad = !img.data;
    for (int i = 0; img.data && i < W * H; i++)
        bad += img.data[3 * i] != source[i / W][i % W][1] || img.data[3 * i + 1] != img.data[3 * i] ||
               img.data[3 * i + 2] != img.data[3 * i];
    MF_CHECK_EQ_INT(bad, 0);
    mf_image_free(&img);
    check_all_truncations_refused(file, n);
    /* 16-bit and other maxvals are refused, not rescaled. */
    n = make_pnm(file, 1, " 5 3 65535\n");
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_EUNSUPPORTED);
    n = make_pnm(file, 0, " 5 3 15\n");
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_EUNSUPPORTED);
    n = make_pnm(file, 0, " 5 3 0\n");
    MF_CHECK_EQ_INT(mf_image_decode(file, n, &img), MF_ECORRUPT);
    /* Integers that would overflow a long, or an int product. */
    static const char *huge[] = {"P6 99999999999999999999999 1 255\n", "P6 2147483647 2147483647 255\n",
                                 "P5 1 1 99999999999999999999\n", "P6 65536 65536 255\n", "P6 16384 16384 255\n"};
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        int err = mf_image_decode(huge[i], strlen(huge[i]), &img);
        MF_CHECK(err == MF_ERANGE || err == MF_EUNSUPPORTED);
        MF_CHECK(img.data == NULL);
    }
    static const char *broken[] = {"P6", "P6 ", "P6 5", "P6 5 3", "P6 5 3 255", "P6 -5 3 255\n", "P6 5 3 255\nabc",
                                   "P6 0 3 255\n", "P6 # only a comment"};
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++)
        MF_CHECK_EQ_INT(mf_image_decode(broken[i], strlen(broken[i]), &img), MF_ECORRUPT);
    MF_CHECK_EQ_INT(mf_image_decode("P6x5 3 255\n", 11, &img), MF_EUNSUPPORTED);
}

int main(void)
{
    make_source();
    MF_RUN(test_bmp_layouts);
    MF_RUN(test_bmp_refusals);
    MF_RUN(test_pnm);
    return mf_test_summary();
}
