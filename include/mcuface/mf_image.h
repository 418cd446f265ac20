/* Image buffers: a plain view over caller-owned pixels.
 *
 * Ownership: an mf_image never owns its pixels. DATA points at memory the
 * caller allocated (a static buffer, an arena slice, a camera frame) and keeps
 * alive while the image is used; no vision function allocates or frees it.
 * The one exception is the host loader (mcuface/mf_image_file.h, host only), whose
 * images are released with mf_image_free.
 *
 * Layout: rows top to bottom, STRIDE bytes apart (stride >= width * channels,
 * so a crop is a view with an offset DATA and the parent's stride). CHANNELS
 * is 3 (RGB888 interleaved, R first) or 1 (8-bit gray).
 *
 * Limits: width and height are 1..MF_IMAGE_MAX_SIDE and stride at most
 * MF_IMAGE_MAX_STRIDE, so stride * height < 2^31 and every offset computed by
 * the vision code fits in int32 and in a 32-bit size_t.
 *
 * Thread safety: the functions touch only their arguments; threads may
 * read one image at once, but none may write pixels another thread reads.
 */
#ifndef MCUFACE_MF_IMAGE_H
#define MCUFACE_MF_IMAGE_H
#include <stddef.h>
#include <stdint.h>

#define MF_IMAGE_MAX_SIDE 16384
#define MF_IMAGE_MAX_STRIDE (MF_IMAGE_MAX_SIDE * 4)

typedef struct mf_image {
    uint8_t *data; /* caller-owned, at least stride * (height - 1) + width * channels bytes */
    int width, height;
    int stride;   /* bytes from one row to the next */
    int channels; /* 3 = RGB888, 1 = gray */
} mf_image;

/* Checks that IMG describes a usable image: non-NULL data, channels 1 or 3,
 * sides within 1..MF_IMAGE_MAX_SIDE, width * channels <= stride <=
 * MF_IMAGE_MAX_STRIDE. Returns MF_OK, MF_EINVAL or MF_ERANGE (too large). */
int mf_image_check(const mf_image *img);

/* Writes to *BYTES the size of a tightly packed WIDTH x HEIGHT x CHANNELS
 * buffer (stride = width * channels), with the same limits as
 * mf_image_check. Returns MF_OK, MF_EINVAL or MF_ERANGE. */
int mf_image_bytes(int width, int height, int channels, size_t *bytes);

/* Fills *IMG as a tightly packed view over caller-owned DATA of
 * DATA_BYTES bytes. Returns MF_OK, MF_EINVAL, MF_ERANGE, or MF_ENOMEM when
 * DATA_BYTES is smaller than mf_image_bytes. */
int mf_image_init(mf_image *img, void *data, size_t data_bytes, int width, int height, int channels);

/* Fills *VIEW with the X, Y, WIDTH x HEIGHT rectangle of SRC, sharing its
 * pixels (no copy). The rectangle must lie inside SRC. Returns MF_OK,
 * MF_EINVAL or MF_ERANGE. */
int mf_image_crop_view(const mf_image *src, int x, int y, int width, int height, mf_image *view);
#endif
