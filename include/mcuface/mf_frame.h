/* Camera frames: a read-only view over the pixels a camera interface
 * delivers. LOCAL STAND-IN (branch pipeline) for the header the frames
 * helper is writing: same types and entry points, but only RGB888 is
 * handled until main has the full version (then this file is replaced).
 *
 * Ownership: an mf_frame never owns its pixels. DATA points at SIZE bytes
 * the caller owns and keeps unchanged and alive while the frame is used. */
#ifndef MCUFACE_MF_FRAME_H
#define MCUFACE_MF_FRAME_H
#include <stddef.h>
#include <stdint.h>
#include "mcuface/mf_image.h"

typedef enum mf_pixel_format {
    MF_PIXEL_RGB888 = 1,
    MF_PIXEL_BGR888 = 2,
    MF_PIXEL_RGB565 = 3,
    MF_PIXEL_RGB565_BE = 4,
    MF_PIXEL_YUYV = 5,
    MF_PIXEL_UYVY = 6,
    MF_PIXEL_NV12 = 7,
    MF_PIXEL_GRAY8 = 8
} mf_pixel_format;

typedef struct mf_frame {
    const uint8_t *data; /* caller-owned, read only */
    size_t size;         /* bytes at DATA */
    int32_t width, height, stride; /* stride: bytes per row */
    mf_pixel_format format;
} mf_frame;

/* Fills *FRAME as a view over DATA (SIZE bytes). STRIDE 0 = tightly packed.
 * Returns MF_OK, MF_EINVAL (NULL, bad sides, stride below the row, SIZE too
 * small), MF_ERANGE (too large) or MF_EUNSUPPORTED (a format other than
 * RGB888 in this stand-in). *FRAME is zeroed on error. */
int mf_frame_init(mf_frame *frame, mf_pixel_format format, const void *data, size_t size, int32_t width,
                  int32_t height, int32_t stride);

/* Fills *FRAME as a view (no copy) over a 3-channel IMAGE's pixels. Returns
 * MF_OK or MF_EINVAL. */
int mf_frame_from_image(const mf_image *image, mf_frame *frame);
#endif
