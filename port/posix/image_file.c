/* Host image files through Debian's libstb (stb_image, stb_image_write). We
 * ask stb for the header first so oversized images are refused before stb
 * allocates their pixels, and we map stb's silent NULL to a status. stb
 * ignores the EXIF Orientation tag of JPEGs (phone photos are often stored
 * sideways with one), so we read it ourselves and turn the decoded pixels
 * upright. */
#include "mf_image_file.h"
#include "mcuface/mf_status.h"
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stb_image.h>
#include <stb_image_write.h>

static uint32_t read_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint32_t crc32_png(uint32_t crc, const uint8_t *data, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        crc ^= data[i];
        for (int b = 0; b < 8; b++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc;
}

/* stb_image ignores PNG chunk CRCs, and on damaged deflate data it reads
 * uninitialised Huffman tables (valgrind shows it; Debian's 2022 stb).
 * Checking every chunk's length and CRC up to IEND first turns damaged or
 * truncated PNGs into MF_ECORRUPT before stb sees them. Returns 1 when BYTES
 * is not a PNG (nothing to check) or a well-formed one. */
static int png_chunks_ok(const uint8_t *bytes, size_t n)
{
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n < 8 || memcmp(bytes, signature, 8) != 0) return 1;
    size_t at = 8;
    for (;;) {
        if (n - at < 12) return 0;
        uint32_t len = read_be32(bytes + at);
        if (len > n - at - 12) return 0;
        const uint8_t *type = bytes + at + 4;
        uint32_t crc = ~crc32_png(0xFFFFFFFFu, type, (size_t)len + 4);
        if (crc != read_be32(type + 4 + len)) return 0;
        if (!memcmp(type, "IEND", 4)) return 1;
        at += (size_t)len + 12;
    }
}

/* Reads a 16- or 32-bit TIFF integer at P in the byte order of the header
 * (BIG: "MM"). The caller has checked that the bytes are there. */
static uint32_t tiff_u16(const uint8_t *p, int big)
{
    return big ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
}

static uint32_t tiff_u32(const uint8_t *p, int big)
{
    return big ? read_be32(p) : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Orientation tag (0x0112, one SHORT) in IFD0 of the TIFF structure at T
 * (N bytes, the Exif APP1 payload after "Exif\0\0"); 1 when absent or
 * malformed. Every offset is checked against N before it is read. */
static int tiff_orientation(const uint8_t *t, size_t n)
{
    if (n < 8) return 1;
    int big;
    if (t[0] == 'I' && t[1] == 'I') big = 0;
    else if (t[0] == 'M' && t[1] == 'M') big = 1;
    else return 1;
    if (tiff_u16(t + 2, big) != 42) return 1;
    uint32_t ifd = tiff_u32(t + 4, big);
    if (ifd < 8 || ifd > n - 2) return 1;
    uint32_t count = tiff_u16(t + ifd, big);
    size_t at = (size_t)ifd + 2;
    for (uint32_t i = 0; i < count; i++, at += 12) {
        if (n - at < 12) return 1; /* at <= n holds: it grows by 12 only after this check */
        const uint8_t *e = t + at;
        if (tiff_u16(e, big) != 0x0112) continue;
        if (tiff_u16(e + 2, big) != 3 || tiff_u32(e + 4, big) != 1) return 1; /* not one SHORT */
        uint32_t v = tiff_u16(e + 8, big); /* a SHORT value sits left-justified in the 4-byte field */
        return v >= 1 && v <= 8 ? (int)v : 1;
    }
    return 1;
}

int mf_image_exif_orientation(const void *bytes, size_t n)
{
    const uint8_t *b = (const uint8_t *)bytes;
    if (!b || n < 4 || b[0] != 0xFF || b[1] != 0xD8) return 1; /* not a JPEG (no SOI) */
    size_t at = 2;
    while (n - at >= 4) { /* invariant: at <= n */
        if (b[at] != 0xFF) return 1;
        uint8_t m = b[at + 1];
        if (m == 0xFF) { /* fill byte before a marker */
            at++;
            continue;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) { /* markers without a length */
            at += 2;
            continue;
        }
        if (m == 0xDA || m == 0xD9) return 1; /* image data (SOS) or EOI: no EXIF before it */
        size_t len = (size_t)b[at + 2] << 8 | b[at + 3]; /* includes its own 2 bytes */
        if (len < 2 || len > n - at - 2) return 1;
        const uint8_t *seg = b + at + 4;
        size_t seg_n = len - 2;
        if (m == 0xE1 && seg_n >= 6 && !memcmp(seg, "Exif\0\0", 6)) return tiff_orientation(seg + 6, seg_n - 6);
        at += 2 + len;
    }
    return 1;
}

/* Turns the tightly packed RGB888 W x H pixels at PX upright for EXIF
 * ORIENTATION (2..8), in place through a temporary copy; for 5..8 the sides
 * swap, so the result is H x W. Output pixel (ox, oy) is read from
 * PX + base + ox * dx + oy * dy. Returns MF_OK or MF_ENOMEM. */
static int apply_orientation(uint8_t *px, int w, int h, int orientation)
{
    const ptrdiff_t s = (ptrdiff_t)w * 3, right = (ptrdiff_t)(w - 1) * 3, bottom = (ptrdiff_t)(h - 1) * s;
    ptrdiff_t base, dx, dy;
    switch (orientation) {
    case 2: base = right, dx = -3, dy = s; break;               /* mirror left-right */
    case 3: base = bottom + right, dx = -3, dy = -s; break;     /* rotate 180 */
    case 4: base = bottom, dx = 3, dy = -s; break;              /* mirror top-bottom */
    case 5: base = 0, dx = s, dy = 3; break;                    /* transpose */
    case 6: base = bottom, dx = -s, dy = 3; break;              /* rotate 90 clockwise */
    case 7: base = bottom + right, dx = -s, dy = -3; break;     /* transverse */
    case 8: base = right, dx = s, dy = -3; break;               /* rotate 90 counter-clockwise */
    default: return MF_OK;
    }
    const int ow = orientation >= 5 ? h : w, oh = orientation >= 5 ? w : h;
    size_t bytes = (size_t)w * (size_t)h * 3;
    uint8_t *tmp = malloc(bytes);
    if (!tmp) return MF_ENOMEM;
    uint8_t *o = tmp;
    for (int oy = 0; oy < oh; oy++) {
        const uint8_t *p = px + base + (ptrdiff_t)oy * dy;
        for (int ox = 0; ox < ow; ox++, p += dx, o += 3) {
            o[0] = p[0];
            o[1] = p[1];
            o[2] = p[2];
        }
    }
    /* Back into stb's buffer, so mf_image_free keeps releasing stb memory. */
    memcpy(px, tmp, bytes);
    free(tmp);
    return MF_OK;
}

int mf_image_decode(const void *bytes, size_t n, mf_image *out)
{
    if (!out) return MF_EINVAL;
    memset(out, 0, sizeof(*out));
    if (!bytes) return MF_EINVAL;
    if (n == 0) return MF_ECORRUPT;
    if (n > (size_t)INT_MAX) return MF_ERANGE; /* stb takes an int length */
    if (!png_chunks_ok((const uint8_t *)bytes, n)) return MF_ECORRUPT;
    int w = 0, h = 0, file_channels = 0;
    if (!stbi_info_from_memory((const stbi_uc *)bytes, (int)n, &w, &h, &file_channels)) return MF_ECORRUPT;
    if (w < 1 || h < 1) return MF_ECORRUPT;
    if (w > MF_IMAGE_MAX_SIDE || h > MF_IMAGE_MAX_SIDE) return MF_ERANGE;
    if ((long)w * (long)h > MF_IMAGE_FILE_MAX_PIXELS) return MF_ERANGE;
    int dw = 0, dh = 0;
    stbi_uc *pixels = stbi_load_from_memory((const stbi_uc *)bytes, (int)n, &dw, &dh, &file_channels, 3);
    if (!pixels) return MF_ECORRUPT;
    if (dw != w || dh != h) { /* header and decoder disagree: trust neither */
        stbi_image_free(pixels);
        return MF_ECORRUPT;
    }
    int orientation = mf_image_exif_orientation(bytes, n);
    int err = apply_orientation(pixels, w, h, orientation);
    if (err) {
        stbi_image_free(pixels);
        return err;
    }
    if (orientation >= 5) { /* a quarter turn: the sides swap */
        int t = w;
        w = h;
        h = t;
    }
    out->data = pixels;
    out->width = w;
    out->height = h;
    out->stride = w * 3;
    out->channels = 3;
    return MF_OK;
}

int mf_image_load(const char *path, mf_image *out)
{
    if (!out) return MF_EINVAL;
    memset(out, 0, sizeof(*out));
    if (!path) return MF_EINVAL;
    FILE *f = fopen(path, "rb");
    if (!f) return MF_ENOTFOUND;
    int err = MF_EIO;
    unsigned char *buf = NULL;
    if (fseek(f, 0, SEEK_END) != 0) goto done;
    long size = ftell(f);
    if (size < 0 || (unsigned long)size > MF_IMAGE_FILE_MAX_BYTES) goto done;
    if (fseek(f, 0, SEEK_SET) != 0) goto done;
    if (size == 0) {
        err = MF_ECORRUPT;
        goto done;
    }
    buf = malloc((size_t)size);
    if (!buf) {
        err = MF_ENOMEM;
        goto done;
    }
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) goto done;
    err = mf_image_decode(buf, (size_t)size, out);
done:
    free(buf);
    fclose(f);
    return err;
}

void mf_image_free(mf_image *img)
{
    if (!img) return;
    stbi_image_free(img->data);
    memset(img, 0, sizeof(*img));
}

int mf_image_save_png(const char *path, const mf_image *img)
{
    if (!path) return MF_EINVAL;
    int err = mf_image_check(img);
    if (err) return err;
    if (!stbi_write_png(path, img->width, img->height, img->channels, img->data, img->stride)) return MF_EIO;
    return MF_OK;
}
