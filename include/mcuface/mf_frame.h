/* Camera frames: a read-only view over the pixels a camera interface
 * (STM32N6 DCMIPP, ESP32 camera, V4L2) delivers, in the formats those
 * interfaces produce, so the detector, the liveness crops and the alignment
 * can sample a frame directly (mf_detect_frame, mf_liveness_check_frame,
 * mf_align_face_frame) without first converting it to a full-size RGB888
 * copy.
 *
 * Ownership: an mf_frame never owns its pixels. DATA points at SIZE bytes
 * the caller owns (a DMA buffer, a static array) and keeps unchanged and
 * alive while the frame is used; no function writes through it, allocates
 * or frees it. mf_frame_init only checks and records.
 *
 * Layouts (rows top to bottom, STRIDE bytes apart; x left to right):
 *   RGB888     3 bytes per pixel R, G, B.
 *   BGR888     3 bytes per pixel B, G, R.
 *   RGB565     2 bytes per pixel, one little-endian 16-bit word
 *              R[4:0] G[5:0] B[4:0] (R in the top bits): byte 0 =
 *              G[2:0]B[4:0], byte 1 = R[4:0]G[5:3]. OpenCV calls this
 *              layout "BGR565".
 *   RGB565_BE  the same word stored big-endian (byte 0 = R[4:0]G[5:3]), as
 *              some camera interfaces emit it.
 *   YUYV       YUV 4:2:2 packed, 4 bytes per pixel pair: Y0 U Y1 V (YUY2).
 *   UYVY       YUV 4:2:2 packed, 4 bytes per pixel pair: U Y0 V Y1.
 *              Pixel pair k (pixels 2k, 2k + 1) shares one U and one V;
 *              WIDTH must be even.
 *   NV12       YUV 4:2:0 semi-planar: HEIGHT rows of Y (1 byte per pixel),
 *              then HEIGHT / 2 rows of interleaved U V (one pair per 2x2
 *              block of pixels), both planes with the same STRIDE, the UV
 *              plane starting right after the Y plane (at DATA + STRIDE *
 *              HEIGHT). WIDTH and HEIGHT must be even.
 *   GRAY8      1 byte per pixel.
 *
 * Conversion to RGB (mf_frame_to_image and every sampler; the formulas
 * OpenCV 4.6's cv2.cvtColor uses, so results are bit for bit those of
 * COLOR_BGR5652RGB, COLOR_YUV2RGB_YUYV / _UYVY / _NV12, COLOR_GRAY2RGB,
 * COLOR_BGR2RGB; tests/vision/test_frame_convert.c checks it):
 *   RGB565: R = (word >> 8) & 0xF8, G = (word >> 3) & 0xFC,
 *           B = (word << 3) & 0xF8 (the bits shifted up, low bits zero:
 *           OpenCV does not replicate the top bits).
 *   YUV (BT.601, limited range, fixed point with 20 fraction bits):
 *           y = max(Y - 16, 0) * 1220542, u = U - 128, v = V - 128,
 *           R = sat8((y + 1673527 v + 2^19) >> 20),
 *           G = sat8((y - 852492 v - 409993 u + 2^19) >> 20),
 *           B = sat8((y + 2116026 u + 2^19) >> 20),
 *           i.e. 1.164 (Y - 16) + 1.596 V', etc. (constants = round(c *
 *           2^20), the ITU-R BT.601 coefficients OpenCV names ITUR_BT_601_*;
 *           >> floors; sat8 clamps to 0..255).
 *   GRAY8:  R = G = B = the gray value.
 *
 * Limits: WIDTH and HEIGHT 1..MF_IMAGE_MAX_SIDE (MF_ERANGE above), STRIDE at
 * most MF_IMAGE_MAX_STRIDE, so every offset fits in int32.
 *
 * Thread safety: a frame is read-only; any number of threads may sample
 * one frame at once while nobody writes its pixels.
 */
#ifndef MCUFACE_MF_FRAME_H
#define MCUFACE_MF_FRAME_H
#include <stddef.h>
#include <stdint.h>
#include "mcuface/mf_image.h"

typedef enum mf_pixel_format {
    MF_PIXEL_RGB888 = 1,
    MF_PIXEL_BGR888 = 2,
    MF_PIXEL_RGB565 = 3,    /* 16-bit little-endian words: byte 0 = G[2:0]B[4:0], byte 1 = R[4:0]G[5:3] */
    MF_PIXEL_RGB565_BE = 4, /* the same word, big-endian (byte-swapped) */
    MF_PIXEL_YUYV = 5,
    MF_PIXEL_UYVY = 6,      /* YUV 4:2:2 packed */
    MF_PIXEL_NV12 = 7,      /* Y plane, then interleaved UV plane at half height, same stride */
    MF_PIXEL_GRAY8 = 8
} mf_pixel_format;

typedef struct mf_frame {
    const uint8_t *data; /* caller-owned, read only */
    size_t size;         /* bytes at DATA (>= the bytes the layout needs) */
    int32_t width, height, stride; /* stride: bytes per row (of the Y plane for NV12) */
    mf_pixel_format format;
} mf_frame;

/* Bytes per pixel of FORMAT's (first) plane: 3, 2 or 1; 0 when unknown. */
int32_t mf_pixel_format_bytes(mf_pixel_format format);

/* Fills *FRAME as a view over DATA (SIZE bytes, caller-owned, kept while
 * FRAME is used). STRIDE is the bytes from one row to the next (of the Y
 * plane for NV12), 0 for tightly packed rows (width * bytes per pixel).
 * Bytes needed: stride * (height - 1) + row bytes, and for NV12 stride *
 * height + stride * (height / 2 - 1) + width (the last row of each plane
 * may be short). Returns MF_OK; MF_EINVAL for a NULL FRAME or DATA, an
 * unknown FORMAT, a non-positive side, a stride below the row bytes, an odd
 * width for YUYV / UYVY, an odd width or height for NV12, or SIZE smaller
 * than needed; MF_ERANGE for a side above MF_IMAGE_MAX_SIDE or a stride
 * above MF_IMAGE_MAX_STRIDE. *FRAME is zeroed on error. */
int mf_frame_init(mf_frame *frame, mf_pixel_format format, const void *data, size_t size, int32_t width,
                  int32_t height, int32_t stride);

/* Fills *FRAME as a view (no copy) over IMAGE's pixels: an RGB888 frame for
 * a 3-channel image, GRAY8 for a 1-channel one. IMAGE keeps owning them.
 * Returns MF_OK or mf_image_check's error. */
int mf_frame_from_image(const mf_image *image, mf_frame *frame);

/* Converts the whole FRAME into RGB (caller-owned RGB888 image of the same
 * width and height; its stride may exceed width * 3), with the formulas
 * above. Returns MF_OK or MF_EINVAL (bad frame, RGB not 3 channels or of
 * another size). */
int mf_frame_to_image(const mf_frame *frame, mf_image *rgb);
#endif
