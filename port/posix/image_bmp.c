/* Windows BMP, parsed by hand: uncompressed 24- and 32-bit (BI_RGB, or
 * BI_BITFIELDS with the standard masks, alpha dropped as cv2 does) and
 * 8-bit paletted, bottom-up or top-down (negative height). Every offset is
 * checked against the file size and every row must be there in full. */
#include "image_codecs.h"
#include "mcuface/mf_status.h"
#include <string.h>

#define BMP_FILE_HEADER 14
#define BI_RGB 0
#define BI_BITFIELDS 3

static uint32_t le16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* BI_BITFIELDS is accepted only when its masks say plain B, G, R bytes. */
static int standard_masks(const uint8_t *m)
{
    return le32(m) == 0x00FF0000u && le32(m + 4) == 0x0000FF00u && le32(m + 8) == 0x000000FFu;
}

int mf_decode_bmp(const uint8_t *b, size_t n, mf_image *out)
{
    if (n < BMP_FILE_HEADER + 4) return MF_ECORRUPT;
    uint32_t pixel_offset = le32(b + 10);
    uint32_t info_size = le32(b + 14);
    /* 40 BITMAPINFOHEADER, 52/56 its extensions, 108 V4, 124 V5; 12 (OS/2 core) and 64 (OS/2 v2) are not handled */
    if (info_size != 40 && info_size != 52 && info_size != 56 && info_size != 108 && info_size != 124)
        return MF_EUNSUPPORTED;
    if (n - BMP_FILE_HEADER < info_size) return MF_ECORRUPT;
    const uint8_t *info = b + BMP_FILE_HEADER;
    int32_t w = (int32_t)le32(info + 4), h_signed = (int32_t)le32(info + 8);
    uint32_t planes = le16(info + 12), bpp = le16(info + 14), compression = le32(info + 16);
    uint32_t colors_used = le32(info + 32);
    if (planes != 1) return MF_ECORRUPT;
    if (h_signed == INT32_MIN) return MF_ERANGE;
    const int top_down = h_signed < 0;
    const long h = top_down ? -(long)h_signed : (long)h_signed;
    if (bpp != 8 && bpp != 24 && bpp != 32) return MF_EUNSUPPORTED; /* 1/4/16-bit */
    size_t masks_end = BMP_FILE_HEADER + info_size; /* where the palette starts */
    if (compression == BI_BITFIELDS && bpp == 32) {
        if (info_size == 40) { /* the masks follow the header */
            if (n - masks_end < 12) return MF_ECORRUPT;
            if (!standard_masks(b + masks_end)) return MF_EUNSUPPORTED;
            masks_end += 12;
        } else if (!standard_masks(info + 40)) {
            return MF_EUNSUPPORTED;
        }
    } else if (compression != BI_RGB) {
        return MF_EUNSUPPORTED; /* RLE4/RLE8, JPEG/PNG inside BMP, other bit fields */
    }
    int err = mf_image_check_caps((long)w, h, n, 0);
    if (err) return err;
    if (pixel_offset > n) return MF_ECORRUPT; /* also bounds the palette, which ends before it */
    uint8_t palette[256][3];
    memset(palette, 0, sizeof palette); /* indices past the palette read black */
    if (bpp == 8) {
        if (colors_used == 0) colors_used = 256;
        if (colors_used > 256) return MF_ECORRUPT;
        if (masks_end > pixel_offset || (pixel_offset - masks_end) / 4 < colors_used) return MF_ECORRUPT;
        for (uint32_t i = 0; i < colors_used; i++) {
            const uint8_t *e = b + masks_end + 4 * i; /* B, G, R, reserved */
            palette[i][0] = e[2];
            palette[i][1] = e[1];
            palette[i][2] = e[0];
        }
    }
    const size_t row_bytes = ((size_t)w * bpp + 31) / 32 * 4; /* rows are padded to 4 bytes */
    if ((n - pixel_offset) / row_bytes < (size_t)h) return MF_ECORRUPT; /* truncated */
    err = mf_image_alloc_rgb((int)w, (int)h, out);
    if (err) return err;
    for (long y = 0; y < h; y++) {
        const uint8_t *src = b + pixel_offset + (size_t)(top_down ? y : h - 1 - y) * row_bytes;
        uint8_t *o = out->data + (size_t)y * (size_t)out->stride;
        for (int32_t x = 0; x < w; x++, o += 3) {
            if (bpp == 8) {
                memcpy(o, palette[src[x]], 3);
            } else {
                const uint8_t *p = src + (size_t)x * (bpp / 8);
                o[0] = p[2];
                o[1] = p[1];
                o[2] = p[0];
            }
        }
    }
    return MF_OK;
}
