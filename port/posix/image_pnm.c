/* Binary Netpbm: P6 (RGB) and P5 (gray, replicated to RGB), maxval 255.
 * The header is parsed by hand with bounded integers; the raster must be
 * all there (bytes after it are ignored, as a multi-image file has). */
#include "image_codecs.h"
#include "mcuface/mf_status.h"
#include <string.h>

/* Header numbers above this are refused as too large before they can
 * overflow (any side above MF_IMAGE_MAX_SIDE is refused anyway). */
#define PNM_NUMBER_MAX 100000000L

static int is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Skips whitespace and '#' comments (to the end of the line), then reads a
 * decimal number at *AT. Returns MF_OK, MF_ECORRUPT (no digits, or the
 * data ends before the number is followed by something) or MF_ERANGE (above PNM_NUMBER_MAX). */
static int read_number(const uint8_t *b, size_t n, size_t *at, long *value)
{
    size_t i = *at;
    for (;;) {
        while (i < n && is_space(b[i])) i++;
        if (i < n && b[i] == '#') {
            while (i < n && b[i] != '\n' && b[i] != '\r') i++;
            continue;
        }
        break;
    }
    if (i >= n || b[i] < '0' || b[i] > '9') return MF_ECORRUPT;
    long v = 0;
    for (; i < n && b[i] >= '0' && b[i] <= '9'; i++) {
        v = v * 10 + (b[i] - '0');
        if (v > PNM_NUMBER_MAX) return MF_ERANGE;
    }
    if (i >= n) return MF_ECORRUPT; /* cut inside the number: "25" may be "255" */
    *at = i;
    *value = v;
    return MF_OK;
}

int mf_decode_pnm(const uint8_t *b, size_t n, mf_image *out)
{
    const int channels = b[1] == '6' ? 3 : 1; /* the dispatcher saw "P5" or "P6" */
    size_t at = 2;
    if (at >= n) return MF_ECORRUPT;
    if (!is_space(b[at])) return MF_EUNSUPPORTED; /* "P5x..." is not Netpbm */
    long w = 0, h = 0, maxval = 0;
    int err = read_number(b, n, &at, &w);
    if (!err) err = read_number(b, n, &at, &h);
    if (err) return err;
    err = mf_image_check_caps(w, h, n, 0);
    if (err) return err;
    err = read_number(b, n, &at, &maxval);
    if (err == MF_ERANGE) return MF_EUNSUPPORTED;
    if (err) return err;
    if (maxval < 1 || maxval > 65535) return MF_ECORRUPT;
    if (maxval != 255) return MF_EUNSUPPORTED; /* 16-bit and other scales: refused, not guessed */
    if (at >= n || !is_space(b[at])) return MF_ECORRUPT; /* exactly one whitespace byte before the raster */
    at++;
    size_t need = (size_t)w * (size_t)h * (size_t)channels;
    if (n - at < need) return MF_ECORRUPT; /* truncated */
    err = mf_image_alloc_rgb((int)w, (int)h, out);
    if (err) return err;
    const uint8_t *src = b + at;
    if (channels == 3) {
        memcpy(out->data, src, need);
    } else {
        uint8_t *o = out->data;
        for (size_t i = 0; i < need; i++, o += 3) o[0] = o[1] = o[2] = src[i];
    }
    return MF_OK;
}
