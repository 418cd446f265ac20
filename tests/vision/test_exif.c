/* EXIF orientation in the host image loader: a small asymmetric JPEG written
 * by libjpeg here, with an APP1 Exif segment spliced in after SOI for each
 * orientation 1..8 (both TIFF byte orders), must decode to exactly the
 * matching rotation / mirror of the plain decode (same JPEG data, so the
 * pixels compare exactly); truncated and garbage EXIF must decode as stored
 * and never read out of bounds (run under MF_SANITIZE for ASan); and the
 * antispoof phone photos, when present, must come out upright. */
#include "mf_test.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

#define W 13
#define H 7

typedef struct {
    uint8_t *data;
    size_t n, cap;
} buf;

static void buf_put(buf *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = (b->n + n) * 2;
        uint8_t *d = realloc(b->data, cap);
        if (!d) abort();
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->n, p, n);
    b->n += n;
}

/* The plain JPEG (libjpeg's writer, quality 95: SOI then JFIF APP0), W x H, no EXIF. */
static buf plain_jpeg(void)
{
    uint8_t px[W * H * 3];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint8_t *p = px + (y * W + x) * 3;
            p[0] = (uint8_t)(x * 19);
            p[1] = (uint8_t)(y * 35);
            p[2] = (uint8_t)((x * 7 + y * 29) ^ (x == 0 && y == 0 ? 0xff : 0));
        }
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err); /* libjpeg's default handler exits: fine for a fixed, valid input */
    jpeg_create_compress(&c);
    unsigned char *out = NULL;
    unsigned long out_n = 0;
    jpeg_mem_dest(&c, &out, &out_n);
    c.image_width = W;
    c.image_height = H;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    jpeg_start_compress(&c, TRUE);
    for (int y = 0; y < H; y++) {
        JSAMPROW row = px + y * W * 3;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    buf b = {0};
    buf_put(&b, out, out_n);
    free(out);
    return b;
}

/* The stored (un-rotated) pixels of a valid JPEG, straight from libjpeg
 * with its defaults, as RGB888 (malloc'd; *W_OUT x *H_OUT). */
static uint8_t *raw_jpeg_decode(const uint8_t *bytes, size_t n, int *w_out, int *h_out)
{
    struct jpeg_decompress_struct d;
    struct jpeg_error_mgr err;
    d.err = jpeg_std_error(&err);
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, bytes, (unsigned long)n);
    jpeg_read_header(&d, TRUE);
    d.out_color_space = JCS_RGB;
    jpeg_start_decompress(&d);
    size_t stride = (size_t)d.output_width * 3;
    uint8_t *px = malloc(stride * d.output_height);
    while (px && d.output_scanline < d.output_height) {
        JSAMPROW row = px + d.output_scanline * stride;
        jpeg_read_scanlines(&d, &row, 1);
    }
    *w_out = (int)d.output_width;
    *h_out = (int)d.output_height;
    jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);
    return px;
}

/* A TIFF structure with IFD0 holding ENTRIES tags before Orientation (to
 * exercise the scan) and then Orientation = VALUE as one SHORT. */
static buf tiff_with_orientation(int big, unsigned value, unsigned type, unsigned count)
{
    buf t = {0};
    uint8_t b[12];
#define P16(p, v) ((big) ? ((p)[0] = (uint8_t)((v) >> 8), (p)[1] = (uint8_t)(v)) : ((p)[0] = (uint8_t)(v), (p)[1] = (uint8_t)((v) >> 8)))
#define P32(p, v) (big ? (P16(p, (v) >> 16), P16((p) + 2, (v) & 0xffff)) : (P16(p, (v) & 0xffff), P16((p) + 2, (v) >> 16)))
    b[0] = b[1] = big ? 'M' : 'I';
    P16(b + 2, 42u);
    P32(b + 4, 8u);
    buf_put(&t, b, 8);
    P16(b, 2u);
    buf_put(&t, b, 2);
    /* ImageWidth (0x0100), a LONG, first. */
    memset(b, 0, 12);
    P16(b, 0x0100u);
    P16(b + 2, 4u);
    P32(b + 4, 1u);
    P32(b + 8, (unsigned)W);
    buf_put(&t, b, 12);
    memset(b, 0, 12);
    P16(b, 0x0112u);
    P16(b + 2, type);
    P32(b + 4, count);
    P16(b + 8, value);
    buf_put(&t, b, 12);
    memset(b, 0, 4); /* next IFD: none */
    buf_put(&t, b, 4);
#undef P16
#undef P32
    return t;
}

/* JPEG with an APP1 segment right after SOI whose payload is HEAD (HEAD_N
 * bytes, e.g. "Exif\0\0") followed by TIFF_N bytes of TIFF. */
static buf splice(const buf *jpeg, const void *head, size_t head_n, const uint8_t *tiff, size_t tiff_n)
{
    buf out = {0};
    buf_put(&out, jpeg->data, 2);
    size_t len = 2 + head_n + tiff_n;
    uint8_t m[4] = {0xFF, 0xE1, (uint8_t)(len >> 8), (uint8_t)len};
    buf_put(&out, m, 4);
    buf_put(&out, head, head_n);
    if (tiff_n) buf_put(&out, tiff, tiff_n);
    buf_put(&out, jpeg->data + 2, jpeg->n - 2);
    return out;
}

/* Pixel (x, y) of the upright image for ORIENTATION, read from the stored
 * w x h image S: written out per case from the EXIF definition (where the
 * stored row 0 / column 0 end up), independently of the loader's strides. */
static const uint8_t *stored_pixel(const mf_image *s, int orientation, int x, int y)
{
    int w = s->width, h = s->height, sx, sy;
    switch (orientation) {
    case 1: sx = x, sy = y; break;
    case 2: sx = w - 1 - x, sy = y; break;
    case 3: sx = w - 1 - x, sy = h - 1 - y; break;
    case 4: sx = x, sy = h - 1 - y; break;
    case 5: sx = y, sy = x; break;                 /* row 0 left, column 0 top */
    case 6: sx = y, sy = h - 1 - x; break;         /* row 0 right, column 0 top */
    case 7: sx = w - 1 - y, sy = h - 1 - x; break; /* row 0 right, column 0 bottom */
    default: sx = w - 1 - y, sy = x; break;        /* 8: row 0 left, column 0 bottom */
    }
    return s->data + (size_t)sy * s->stride + (size_t)sx * 3;
}

/* 1 when GOT is exactly STORED turned upright for ORIENTATION. */
static int is_oriented(const mf_image *got, const mf_image *stored, int orientation)
{
    int swap = orientation >= 5;
    if (got->width != (swap ? stored->height : stored->width)) return 0;
    if (got->height != (swap ? stored->width : stored->height)) return 0;
    if (got->stride != got->width * 3 || got->channels != 3) return 0;
    for (int y = 0; y < got->height; y++)
        for (int x = 0; x < got->width; x++)
            if (memcmp(got->data + (size_t)y * got->stride + (size_t)x * 3, stored_pixel(stored, orientation, x, y), 3))
                return 0;
    return 1;
}

static void test_all_orientations(void)
{
    buf jpeg = plain_jpeg();
    mf_image stored;
    MF_CHECK_EQ_INT(mf_image_decode(jpeg.data, jpeg.n, &stored), MF_OK);
    MF_CHECK(stored.width == W && stored.height == H);
    MF_CHECK_EQ_INT(mf_image_exif_orientation(jpeg.data, jpeg.n), 1);
    for (int big = 0; big < 2; big++)
        for (int o = 1; o <= 8; o++) {
            buf t = tiff_with_orientation(big, (unsigned)o, 3, 1);
            buf j = splice(&jpeg, "Exif\0", 6, t.data, t.n);
            MF_CHECK_EQ_INT(mf_image_exif_orientation(j.data, j.n), o);
            mf_image img;
            MF_CHECK_EQ_INT(mf_image_decode(j.data, j.n, &img), MF_OK);
            if (!is_oriented(&img, &stored, o)) {
                fprintf(stderr, "orientation %d (%s): %dx%d not the expected transform\n", o, big ? "MM" : "II",
                        img.width, img.height);
                MF_CHECK(0);
            }
            /* Through a file too. */
            char path[1024];
            const char *dir = getenv("MCUFACE_BUILD");
            snprintf(path, sizeof path, "%s/vision_exif_%d.jpg", dir ? dir : "/tmp", o);
            FILE *f = fopen(path, "wb");
            MF_CHECK(f != NULL);
            if (f) {
                fwrite(j.data, 1, j.n, f);
                fclose(f);
                mf_image loaded;
                MF_CHECK_EQ_INT(mf_image_load(path, &loaded), MF_OK);
                MF_CHECK(loaded.width == img.width && loaded.height == img.height &&
                         !memcmp(loaded.data, img.data, (size_t)img.width * img.height * 3));
                mf_image_free(&loaded);
                remove(path);
            }
            mf_image_free(&img);
            free(t.data);
            free(j.data);
        }
    mf_image_free(&stored);
    free(jpeg.data);
}

/* Well-formed EXIF that must still mean "as stored". */
static void test_ignored_values(void)
{
    buf jpeg = plain_jpeg();
    const unsigned bad_values[] = {0, 9, 255, 0x0106, 0xffff};
    for (size_t i = 0; i < sizeof bad_values / sizeof *bad_values; i++) {
        buf t = tiff_with_orientation(i & 1, bad_values[i], 3, 1);
        buf j = splice(&jpeg, "Exif\0", 6, t.data, t.n);
        MF_CHECK_EQ_INT(mf_image_exif_orientation(j.data, j.n), 1);
        free(t.data);
        free(j.data);
    }
    /* Wrong type (LONG, ASCII) or count, a wrong APP1 signature, or the tag
     * in an APP2 segment: all ignored. */
    struct {
        unsigned type, count;
        const char *head;
    } cases[] = {{4, 1, "Exif\0"}, {2, 1, "Exif\0"}, {3, 2, "Exif\0"}, {3, 0, "Exif\0"}, {3, 1, "Exix\0"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        buf t = tiff_with_orientation(0, 6, cases[i].type, cases[i].count);
        buf j = splice(&jpeg, cases[i].head, 6, t.data, t.n);
        MF_CHECK_EQ_INT(mf_image_exif_orientation(j.data, j.n), 1);
        mf_image img;
        MF_CHECK_EQ_INT(mf_image_decode(j.data, j.n, &img), MF_OK);
        MF_CHECK(img.width == W && img.height == H);
        mf_image_free(&img);
        free(t.data);
        free(j.data);
    }
    buf t = tiff_with_orientation(0, 6, 3, 1);
    buf j = splice(&jpeg, "Exif\0", 6, t.data, t.n);
    j.data[3] = 0xE2; /* the same bytes in APP2 */
    MF_CHECK_EQ_INT(mf_image_exif_orientation(j.data, j.n), 1);
    MF_CHECK_EQ_INT(mf_image_exif_orientation(NULL, 100), 1);
    MF_CHECK_EQ_INT(mf_image_exif_orientation(j.data, 0), 1);
    /* Nothing after the start of scan counts. */
    MF_CHECK_EQ_INT(mf_image_exif_orientation("\xff\xd8\xff\xda\xff\xe1", 6), 1);
    free(j.data);
    /* A PNG or PPM with EXIF-like bytes is returned as stored. */
    static const uint8_t ppm[] = "P6\n2 1\n255\n\x01\x02\x03\xfa\xfb\xfc";
    mf_image img;
    MF_CHECK_EQ_INT(mf_image_exif_orientation(ppm, sizeof ppm - 1), 1);
    MF_CHECK_EQ_INT(mf_image_decode(ppm, sizeof ppm - 1, &img), MF_OK);
    MF_CHECK(img.width == 2 && img.height == 1);
    mf_image_free(&img);
    free(t.data);
    free(jpeg.data);
}

/* Truncated and garbage EXIF: the segment's own length is kept consistent
 * (the JPEG stays valid), so decoding must succeed, as stored or, when the
 * bytes still hold the whole tag, oriented; with an inconsistent length the
 * decoder may refuse the JPEG, cleanly. Under ASan any read past the
 * buffer is a crash. */
static void test_malformed_exif(void)
{
    buf jpeg = plain_jpeg();
    mf_image stored;
    MF_CHECK_EQ_INT(mf_image_decode(jpeg.data, jpeg.n, &stored), MF_OK);
    int oriented = 0, as_stored = 0;
    for (int big = 0; big < 2; big++) {
        buf t = tiff_with_orientation(big, 6, 3, 1);
        /* Every truncation of "Exif\0\0" + TIFF, with a matching length. */
        for (size_t cut = 0; cut <= 6 + t.n; cut++) {
            uint8_t payload[64];
            memcpy(payload, "Exif\0", 6);
            memcpy(payload + 6, t.data, t.n);
            buf j = splice(&jpeg, payload, cut, NULL, 0);
            int o = mf_image_exif_orientation(j.data, j.n);
            /* The entry ends 8 + 2 + 12 + 12 bytes into the TIFF. */
            MF_CHECK_EQ_INT(o, cut >= 6 + 34 ? 6 : 1);
            mf_image img;
            MF_CHECK_EQ_INT(mf_image_decode(j.data, j.n, &img), MF_OK);
            MF_CHECK(is_oriented(&img, &stored, o));
            o == 6 ? oriented++ : as_stored++;
            mf_image_free(&img);
            /* The same bytes as a whole buffer, cut anywhere: only the
             * orientation parser is run, on every prefix. */
            for (size_t n = 0; n <= j.n && n < 80; n++) {
                uint8_t *copy = malloc(n ? n : 1); /* exact size, so ASan sees any overrun */
                if (n) memcpy(copy, j.data, n);
                int po = mf_image_exif_orientation(copy, n);
                MF_CHECK(po == 1 || po == 6);
                free(copy);
            }
            free(j.data);
        }
        /* The segment length claims more than the file holds. */
        buf j = splice(&jpeg, "Exif\0", 6, t.data, t.n);
        for (size_t n = 0; n <= j.n; n++) {
            uint8_t *copy = malloc(n ? n : 1);
            if (n) memcpy(copy, j.data, n);
            int o = mf_image_exif_orientation(copy, n);
            /* 6 only once the whole segment (SOI, marker, length, payload) is there. */
            MF_CHECK_EQ_INT(o, n >= 2 + 4 + 6 + t.n ? 6 : 1);
            free(copy);
        }
        /* Offsets and counts pointing anywhere, overflow-sized included. */
        const uint32_t ifd_offsets[] = {0, 7, 8, 9, (uint32_t)t.n - 2, (uint32_t)t.n - 1, (uint32_t)t.n, 0x7fffffffu,
                                        0xfffffff0u, 0xfffffffeu, 0xffffffffu};
        for (size_t i = 0; i < sizeof ifd_offsets / sizeof *ifd_offsets; i++) {
            buf bad = splice(&jpeg, "Exif\0", 6, t.data, t.n);
            uint8_t *tp = bad.data + 2 + 4 + 6; /* SOI, APP1 marker and length, "Exif\0\0" */
            uint32_t v = ifd_offsets[i];
            if (big) tp[4] = (uint8_t)(v >> 24), tp[5] = (uint8_t)(v >> 16), tp[6] = (uint8_t)(v >> 8), tp[7] = (uint8_t)v;
            else tp[7] = (uint8_t)(v >> 24), tp[6] = (uint8_t)(v >> 16), tp[5] = (uint8_t)(v >> 8), tp[4] = (uint8_t)v;
            int o = mf_image_exif_orientation(bad.data, bad.n);
            MF_CHECK(o == (v == 8 ? 6 : 1));
            /* Entry count far beyond the segment. */
            tp[4 + 4] = tp[4 + 5] = 0xff;
            o = mf_image_exif_orientation(bad.data, bad.n);
            MF_CHECK(o == 1 || o == 6);
            mf_image img;
            int err = mf_image_decode(bad.data, bad.n, &img);
            MF_CHECK_EQ_INT(err, MF_OK);
            mf_image_free(&img);
            free(bad.data);
        }
        free(j.data);
        /* Random garbage in the TIFF bytes (the length stays consistent). */
        unsigned seed = 12345u + (unsigned)big;
        for (int round = 0; round < 2000; round++) {
            uint8_t payload[64];
            memcpy(payload, "Exif\0", 6);
            memcpy(payload + 6, t.data, t.n);
            int flips = 1 + round % 6;
            for (int k = 0; k < flips; k++) {
                seed = seed * 1664525u + 1013904223u;
                size_t at = 6 + (seed >> 8) % t.n;
                payload[at] = (round & 1) ? (uint8_t)(seed >> 24) : payload[at] ^ (uint8_t)(1u << (seed >> 29));
            }
            seed = seed * 1664525u + 1013904223u;
            size_t cut = (round % 3 == 0) ? 6 + (seed >> 8) % (t.n + 1) : 6 + t.n;
            buf g = splice(&jpeg, payload, cut, NULL, 0);
            int o = mf_image_exif_orientation(g.data, g.n);
            MF_CHECK(o >= 1 && o <= 8);
            mf_image img;
            int err = mf_image_decode(g.data, g.n, &img);
            MF_CHECK_EQ_INT(err, MF_OK);
            if (err == MF_OK) MF_CHECK(is_oriented(&img, &stored, o));
            mf_image_free(&img);
            free(g.data);
        }
        free(t.data);
    }
    /* Garbage marker structure before the EXIF: a segment length of 0/1 and
     * one running past the end. */
    static const uint8_t short_len[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 'E', 'x'};
    static const uint8_t long_len[] = {0xFF, 0xD8, 0xFF, 0xE1, 0xff, 0xff, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I'};
    static const uint8_t fill[] = {0xFF, 0xD8, 0xFF, 0xFF, 0xFF, 0xFF};
    MF_CHECK_EQ_INT(mf_image_exif_orientation(short_len, sizeof short_len), 1);
    MF_CHECK_EQ_INT(mf_image_exif_orientation(long_len, sizeof long_len), 1);
    MF_CHECK_EQ_INT(mf_image_exif_orientation(fill, sizeof fill), 1);
    mf_image img;
    MF_CHECK_EQ_INT(mf_image_decode(long_len, sizeof long_len, &img), MF_ECORRUPT);
    MF_CHECK(img.data == NULL);
    printf("  truncated EXIF: %d decoded oriented, %d as stored\n", oriented, as_stored);
    mf_image_free(&stored);
    free(jpeg.data);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* The phone photos: loaded upright, i.e. exactly libjpeg's raw decode turned by
 * the orientation the file carries (sides swapped for 5..8). */
static void test_antispoof_samples(void)
{
    const char *dir_path = mf_test_shared_path("data/antispoof_samples");
    char dir_copy[1024];
    snprintf(dir_copy, sizeof dir_copy, "%s", dir_path);
    DIR *dir = opendir(dir_copy);
    if (!dir) {
        printf("  skipped: %s absent\n", dir_copy);
        return;
    }
    char names[16][256];
    int count = 0;
    for (struct dirent *e; (e = readdir(dir)) && count < 16;) {
        size_t len = strlen(e->d_name);
        if (len > 4 && len < 256 && !strcmp(e->d_name + len - 4, ".jpg")) snprintf(names[count++], 256, "%s", e->d_name);
    }
    closedir(dir);
    qsort(names, (size_t)count, sizeof names[0], compare_names);
    int rotated = 0;
    for (int i = 0; i < count; i++) {
        char path[5200];
        snprintf(path, sizeof path, "%s/%s", dir_copy, names[i]);
        size_t n = 0;
        uint8_t *bytes = mf_test_read_file(path, &n);
        MF_CHECK(bytes != NULL);
        if (!bytes) continue;
        int o = mf_image_exif_orientation(bytes, n);
        int rw = 0, rh = 0;
        uint8_t *raw = raw_jpeg_decode(bytes, n, &rw, &rh);
        mf_image img;
        MF_CHECK_EQ_INT(mf_image_load(path, &img), MF_OK);
        MF_CHECK(raw != NULL);
        if (raw && img.data) {
            mf_image stored = {raw, rw, rh, rw * 3, 3};
            MF_CHECK(is_oriented(&img, &stored, o));
            printf("  %s: orientation %d, stored %dx%d, loaded %dx%d\n", names[i], o, rw, rh, img.width, img.height);
            if (o >= 5) MF_CHECK(img.width == rh && img.height == rw);
            rotated += o != 1;
        }
        free(raw);
        mf_image_free(&img);
        free(bytes);
    }
    /* The samples are the phone photos this was written for: 3 of 4 sideways. */
    if (count == 4) MF_CHECK_EQ_INT(rotated, 3);
}

int main(void)
{
    MF_RUN(test_all_orientations);
    MF_RUN(test_ignored_values);
    MF_RUN(test_malformed_exif);
    MF_RUN(test_antispoof_samples);
    return mf_test_summary();
}
