/* EXIF orientation of JPEGs: phone photos are often stored sideways with an
 * Orientation tag that libjpeg ignores, so we read the tag ourselves and
 * turn the decoded pixels upright, as cv2.imread and viewers do. */
#include "image_codecs.h"
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_status.h"
#include <stdlib.h>
#include <string.h>

static uint32_t read_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
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

/* Output pixel (ox, oy) is read from data + base + ox * dx + oy * dy. */
int mf_image_apply_orientation(mf_image *img, int orientation)
{
    const int w = img->width, h = img->height;
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
    uint8_t *turned = malloc((size_t)w * (size_t)h * 3);
    if (!turned) return MF_ENOMEM;
    uint8_t *o = turned;
    for (int oy = 0; oy < oh; oy++) {
        const uint8_t *p = img->data + base + (ptrdiff_t)oy * dy;
        for (int ox = 0; ox < ow; ox++, p += dx, o += 3) {
            o[0] = p[0];
            o[1] = p[1];
            o[2] = p[2];
        }
    }
    free(img->data);
    img->data = turned;
    img->width = ow;
    img->height = oh;
    img->stride = ow * 3;
    return MF_OK;
}
