/* Host image files through Debian's libstb (stb_image, stb_image_write). We
 * ask stb for the header first so oversized images are refused before stb
 * allocates their pixels, and we map stb's silent NULL to a status. */
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
