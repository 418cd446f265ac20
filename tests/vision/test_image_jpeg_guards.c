/* The JPEG decoder's guards, on JPEGs written here by libjpeg and then
 * damaged: a progressive file with MF_IMAGE_JPEG_MAX_SCANS + 1 valid
 * scans (refused) and one with exactly the limit (decoded), a header declaring more pixels
 * than the file-size cap, a DHT with more than 256 symbols, a JPEG with no
 * scan, every truncation, and extraneous bytes inside the entropy data
 * (a libjpeg warning, so refused), and a CMYK JPEG (unsupported). */
#include "mf_test.h"
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_status.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mcuface/mf_posix_clock.h"
#include <jpeglib.h>

typedef struct {
    uint8_t *data;
    size_t n;
} blob;

/* A smooth W x H RGB test pattern. */
static void pattern(uint8_t *px, int w, int h)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *p = px + ((size_t)y * w + x) * 3;
            p[0] = (uint8_t)(x * 255 / (w > 1 ? w - 1 : 1));
            p[1] = (uint8_t)(y * 255 / (h > 1 ? h - 1 : 1));
            p[2] = (uint8_t)((x * 3 + y * 5) & 0xff);
        }
}

/* Encodes the pattern with libjpeg (quality 90); SCANS / NSCANS, when
 * given, is the progressive scan script. Exits on failure (fixed input). */
static blob encode(int w, int h, const jpeg_scan_info *scans, int nscans)
{
    uint8_t *px = malloc((size_t)w * h * 3);
    if (!px) abort();
    pattern(px, w, h);
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    unsigned char *out = NULL;
    unsigned long out_n = 0;
    jpeg_mem_dest(&c, &out, &out_n);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 90, TRUE);
    if (scans) {
        c.scan_info = scans;
        c.num_scans = nscans;
    }
    jpeg_start_compress(&c, TRUE);
    for (int y = 0; y < h; y++) {
        JSAMPROW row = px + (size_t)y * w * 3;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(px);
    blob b = {out, out_n};
    return b;
}

/* A valid progressive script of exactly NSCANS (>= 6) scans: DC first and
 * refinement per component, then spectral-selection AC bands of one
 * coefficient each, component by component, until the count is reached,
 * then the remaining coefficients of each component in one band.
 * Successive approximation keeps it valid past 3 * 63 bands. */
static int progressive_script(jpeg_scan_info *s, int nscans)
{
    int k = 0;
    /* DC: first pass at Al=1 for all components interleaved, then the refinement. */
    s[k++] = (jpeg_scan_info){3, {0, 1, 2, 0}, 0, 0, 0, 1};
    s[k++] = (jpeg_scan_info){3, {0, 1, 2, 0}, 0, 0, 1, 0};
    /* AC, per component: single-coefficient bands at Al=1 while scans are
     * left (keeping 2 per component for the rest at Al=1 and one refinement). */
    int next[3] = {1, 1, 1};
    int budget = nscans - 2 - 3 * 2;
    for (int comp = 0; comp < 3; comp++)
        while (budget > 0 && next[comp] < 63) {
            s[k++] = (jpeg_scan_info){1, {comp, 0, 0, 0}, next[comp], next[comp], 0, 1};
            next[comp]++;
            budget--;
        }
    for (int comp = 0; comp < 3; comp++) {
        s[k++] = (jpeg_scan_info){1, {comp, 0, 0, 0}, next[comp], 63, 0, 1};
        s[k++] = (jpeg_scan_info){1, {comp, 0, 0, 0}, 1, 63, 1, 0};
    }
    return k;
}

static void test_scan_limit(void)
{
    jpeg_scan_info script[200];
    int under = progressive_script(script, MF_IMAGE_JPEG_MAX_SCANS);
    MF_CHECK_EQ_INT(under, MF_IMAGE_JPEG_MAX_SCANS);
    blob ok = encode(64, 48, script, under);
    mf_image img;
    MF_CHECK_EQ_INT(mf_image_decode(ok.data, ok.n, &img), MF_OK);
    MF_CHECK(img.width == 64 && img.height == 48);
    mf_image_free(&img);
    int over = progressive_script(script, MF_IMAGE_JPEG_MAX_SCANS + 1);
    MF_CHECK_EQ_INT(over, MF_IMAGE_JPEG_MAX_SCANS + 1);
    blob bad = encode(64, 48, script, over);
    double t0 = mf_clock_seconds();
    MF_CHECK_EQ_INT(mf_image_decode(bad.data, bad.n, &img), MF_ECORRUPT);
    MF_CHECK(img.data == NULL);
    printf("  %d scans decoded, %d refused in %.3f s\n", under, over, mf_clock_seconds() - t0);
    free(ok.data);
    free(bad.data);
}

/* Offset of the first marker M (FF M) at or after FROM; n when absent. */
static size_t find_marker(const blob *b, uint8_t m, size_t from)
{
    for (size_t i = from; i + 1 < b->n; i++)
        if (b->data[i] == 0xFF && b->data[i + 1] == m) return i;
    return b->n;
}

static void put_be16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void test_declared_size_caps(void)
{
    blob j = encode(16, 16, NULL, 0);
    size_t sof = find_marker(&j, 0xC0, 2);
    MF_CHECK(sof < j.n);
    if (sof >= j.n) return;
    mf_image img;
    /* 4096 x 4096 is within MF_IMAGE_FILE_MAX_PIXELS but far above what a
     * file of a few hundred bytes may declare. */
    put_be16(j.data + sof + 5, 4096);
    put_be16(j.data + sof + 7, 4096);
    MF_CHECK_EQ_INT(mf_image_decode(j.data, j.n, &img), MF_ERANGE);
    long cap_side = 1;
    while ((cap_side + 1) * (cap_side + 1) <= MF_IMAGE_JPEG_PIXELS_PER_BYTE * (long)j.n + MF_IMAGE_COMPRESSED_PIXEL_FLOOR)
        cap_side++;
    /* Just inside the cap: accepted by the cap, then refused as truncated
     * (the entropy data covers 16 x 16 only). */
    put_be16(j.data + sof + 5, (unsigned)cap_side);
    put_be16(j.data + sof + 7, (unsigned)cap_side);
    MF_CHECK_EQ_INT(mf_image_decode(j.data, j.n, &img), MF_ECORRUPT);
    put_be16(j.data + sof + 5, (unsigned)cap_side + 1);
    put_be16(j.data + sof + 7, (unsigned)cap_side + 1);
    MF_CHECK_EQ_INT(mf_image_decode(j.data, j.n, &img), MF_ERANGE);
    put_be16(j.data + sof + 5, 20000); /* above MF_IMAGE_MAX_SIDE */
    put_be16(j.data + sof + 7, 8);
    MF_CHECK_EQ_INT(mf_image_decode(j.data, j.n, &img), MF_ERANGE);
    put_be16(j.data + sof + 5, 16);
    j.data[sof + 4] = 12; /* 12-bit samples: not decoded by this libjpeg */
    MF_CHECK_EQ_INT(mf_image_decode(j.data, j.n, &img), MF_EUNSUPPORTED);
    j.data[sof + 4] = 8;
    put_be16(j.data + sof + 5, 0); /* height 0 (DNL) is not supported by libjpeg */
    put_be16(j.data + sof + 7, 16);
    int err = mf_image_decode(j.data, j.n, &img);
    MF_CHECK(err == MF_ECORRUPT);
    MF_CHECK(img.data == NULL);
    free(j.data);
}

static void test_damaged_structure(void)
{
    blob j = encode(32, 24, NULL, 0);
    mf_image img;
    MF_CHECK_EQ_INT(mf_image_decode(j.data, j.n, &img), MF_OK);
    mf_image_free(&img);
    /* No scan: everything from SOS on replaced by EOI. */
    size_t sos = find_marker(&j, 0xDA, 2);
    MF_CHECK(sos < j.n);
    uint8_t *cut = malloc(sos + 2);
    memcpy(cut, j.data, sos);
    cut[sos] = 0xFF;
    cut[sos + 1] = 0xD9;
    MF_CHECK_EQ_INT(mf_image_decode(cut, sos + 2, &img), MF_ECORRUPT);
    MF_CHECK(img.data == NULL);
    free(cut);
    /* A DHT declaring 300 symbols (stb_image overflowed its tables here). */
    uint8_t dht[4 + 1 + 16 + 300];
    dht[0] = 0xFF;
    dht[1] = 0xC4;
    put_be16(dht + 2, (unsigned)(sizeof dht - 2));
    dht[4] = 0x00;
    memset(dht + 5, 0, 16);
    dht[5 + 15] = 255; /* 255 codes of length 16 ... */
    dht[5 + 14] = 45;  /* ... and 45 of length 15: 300 in all */
    for (int i = 0; i < 300; i++) dht[21 + i] = (uint8_t)i;
    size_t dht_at = find_marker(&j, 0xC4, 2);
    blob big = {malloc(j.n + sizeof dht), j.n + sizeof dht};
    memcpy(big.data, j.data, dht_at);
    memcpy(big.data + dht_at, dht, sizeof dht);
    memcpy(big.data + dht_at + sizeof dht, j.data + dht_at, j.n - dht_at);
    MF_CHECK_EQ_INT(mf_image_decode(big.data, big.n, &img), MF_ECORRUPT);
    free(big.data);
    /* Every truncation is refused, never filled in (libjpeg's premature-end warning). */
    int refused = 0;
    for (size_t len = 1; len < j.n; len++) {
        uint8_t *prefix = malloc(len); /* exactly sized, so ASan sees any overread */
        if (!prefix) break;
        memcpy(prefix, j.data, len);
        int err = mf_image_decode(prefix, len, &img);
        free(prefix);
        refused += err == MF_ECORRUPT;
        MF_CHECK(img.data == NULL);
    }
    MF_CHECK_EQ_INT(refused, (long long)j.n - 1);
    /* Garbage bytes between two header segments: libjpeg's "extraneous
     * bytes before marker" warning. */
    size_t dqt = find_marker(&j, 0xDB, 2);
    blob extra = {malloc(j.n + 3), j.n + 3};
    memcpy(extra.data, j.data, dqt);
    memcpy(extra.data + dqt, "\x12\x34\x56", 3);
    memcpy(extra.data + dqt + 3, j.data + dqt, j.n - dqt);
    MF_CHECK_EQ_INT(mf_image_decode(extra.data, extra.n, &img), MF_ECORRUPT);
    free(extra.data);
    free(j.data);
}

/* CMYK (four components) is refused as unsupported, not mis-decoded. */
static void test_cmyk_unsupported(void)
{
    uint8_t px[8 * 8 * 4];
    for (size_t i = 0; i < sizeof px; i++) px[i] = (uint8_t)(i * 7);
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    unsigned char *out = NULL;
    unsigned long out_n = 0;
    jpeg_mem_dest(&c, &out, &out_n);
    c.image_width = 8;
    c.image_height = 8;
    c.input_components = 4;
    c.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&c);
    jpeg_start_compress(&c, TRUE);
    for (int y = 0; y < 8; y++) {
        JSAMPROW row = px + y * 8 * 4;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    mf_image img;
    MF_CHECK_EQ_INT(mf_image_decode(out, out_n, &img), MF_EUNSUPPORTED);
    MF_CHECK(img.data == NULL);
    free(out);
}

int main(void)
{
    MF_RUN(test_scan_limit);
    MF_RUN(test_declared_size_caps);
    MF_RUN(test_damaged_structure);
    MF_RUN(test_cmyk_unsupported);
    return mf_test_summary();
}
