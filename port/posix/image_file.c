/* Host image files: chooses the decoder by magic bytes (JPEG, PNG, PPM/PGM,
 * BMP; anything else is MF_EUNSUPPORTED), holds the pixel caps every
 * decoder checks before it allocates, and reads files through
 * mf_read_regular_file so a FIFO or device never blocks the loader. */
#include "image_codecs.h"
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_posix_file.h"
#include <stdlib.h>
#include <string.h>

int mf_image_check_caps(long width, long height, size_t file_bytes, long pixels_per_byte)
{
    if (width < 1 || height < 1) return MF_ECORRUPT;
    if (width > MF_IMAGE_MAX_SIDE || height > MF_IMAGE_MAX_SIDE) return MF_ERANGE;
    long long pixels = (long long)width * height; /* both <= 2^14: no overflow */
    if (pixels > MF_IMAGE_FILE_MAX_PIXELS) return MF_ERANGE;
    if (pixels_per_byte > 0) {
        long long cap = MF_IMAGE_COMPRESSED_PIXEL_FLOOR;
        /* a file of MF_IMAGE_FILE_MAX_PIXELS bytes already lifts the cap past the pixel limit */
        if (file_bytes < (size_t)MF_IMAGE_FILE_MAX_PIXELS) cap += (long long)file_bytes * pixels_per_byte;
        else cap = MF_IMAGE_FILE_MAX_PIXELS;
        if (pixels > cap) return MF_ERANGE;
    }
    return MF_OK;
}

int mf_image_alloc_rgb(int width, int height, mf_image *out)
{
    uint8_t *px = malloc((size_t)width * (size_t)height * 3);
    if (!px) return MF_ENOMEM;
    out->data = px;
    out->width = width;
    out->height = height;
    out->stride = width * 3;
    out->channels = 3;
    return MF_OK;
}

enum image_format { FORMAT_UNKNOWN, FORMAT_JPEG, FORMAT_PNG, FORMAT_PNM, FORMAT_BMP };

static const struct {
    enum image_format format;
    const char *magic;
    size_t len;
} magics[] = {
    {FORMAT_JPEG, "\xFF\xD8\xFF", 3},
    {FORMAT_PNG, "\x89PNG\r\n\x1a\n", 8},
    {FORMAT_PNM, "P5", 2},
    {FORMAT_PNM, "P6", 2},
    {FORMAT_BMP, "BM", 2},
};

/* The format whose magic starts BYTES. *PREFIX is set when the N bytes are
 * only the start of a magic (a file cut short, not another format). */
static enum image_format sniff(const uint8_t *bytes, size_t n, int *prefix)
{
    *prefix = 0;
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
        size_t len = magics[i].len;
        if (n >= len && !memcmp(bytes, magics[i].magic, len)) return magics[i].format;
        if (n < len && !memcmp(bytes, magics[i].magic, n)) *prefix = 1;
    }
    return FORMAT_UNKNOWN;
}

int mf_image_decode(const void *bytes, size_t n, mf_image *out)
{
    if (!out) return MF_EINVAL;
    memset(out, 0, sizeof(*out));
    if (!bytes) return MF_EINVAL;
    if (n == 0) return MF_ECORRUPT;
    if (n > MF_IMAGE_FILE_MAX_BYTES) return MF_ERANGE;
    const uint8_t *b = (const uint8_t *)bytes;
    int prefix = 0;
    int err;
    switch (sniff(b, n, &prefix)) {
    case FORMAT_JPEG: err = mf_decode_jpeg(b, n, out); break;
    case FORMAT_PNG: err = mf_decode_png(b, n, out); break;
    case FORMAT_PNM: err = mf_decode_pnm(b, n, out); break;
    case FORMAT_BMP: err = mf_decode_bmp(b, n, out); break;
    default: return prefix ? MF_ECORRUPT : MF_EUNSUPPORTED;
    }
    if (err) {
        mf_image_free(out);
        return err;
    }
    err = mf_image_apply_orientation(out, mf_image_exif_orientation(b, n));
    if (err) mf_image_free(out);
    return err;
}

int mf_image_load(const char *path, mf_image *out)
{
    if (!out) return MF_EINVAL;
    memset(out, 0, sizeof(*out));
    if (!path) return MF_EINVAL;
    uint8_t *buf = NULL;
    size_t n = 0;
    int err = mf_read_regular_file(path, MF_IMAGE_FILE_MAX_BYTES, &buf, &n);
    if (err) return err;
    err = mf_image_decode(buf, n, out);
    free(buf);
    return err;
}

void mf_image_free(mf_image *img)
{
    if (!img) return;
    free(img->data);
    memset(img, 0, sizeof(*img));
}
