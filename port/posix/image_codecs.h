/* Internal to the posix image port: one decoder per format (image_jpeg.c,
 * image_png.c, image_pnm.c, image_bmp.c), the pixel caps and buffer they
 * share (image_file.c) and the EXIF rotation (image_exif.c). Every decoder
 * takes the whole file, returns the statuses of mf_image_decode, and on
 * failure leaves *OUT zeroed with nothing allocated. */
#ifndef MCUFACE_IMAGE_CODECS_H
#define MCUFACE_IMAGE_CODECS_H
#include "mcuface/mf_image.h"
#include <stddef.h>
#include <stdint.h>

int mf_decode_jpeg(const uint8_t *bytes, size_t n, mf_image *out);
int mf_decode_png(const uint8_t *bytes, size_t n, mf_image *out);
int mf_decode_pnm(const uint8_t *bytes, size_t n, mf_image *out);
int mf_decode_bmp(const uint8_t *bytes, size_t n, mf_image *out);

/* MF_OK when a WIDTH x HEIGHT image is within MF_IMAGE_MAX_SIDE,
 * MF_IMAGE_FILE_MAX_PIXELS and, when PIXELS_PER_BYTE > 0, the bomb cap
 * PIXELS_PER_BYTE * FILE_BYTES + MF_IMAGE_COMPRESSED_PIXEL_FLOOR; MF_ERANGE
 * above them, MF_ECORRUPT for a side below 1. Call it before allocating. */
int mf_image_check_caps(long width, long height, size_t file_bytes, long pixels_per_byte);

/* Allocates a tightly packed RGB888 WIDTH x HEIGHT image into *OUT (checked
 * by mf_image_check_caps first). Returns MF_OK or MF_ENOMEM. */
int mf_image_alloc_rgb(int width, int height, mf_image *out);

/* Turns the decoded RGB888 image *IMG upright for EXIF ORIENTATION (1..8;
 * 5..8 swap the sides). Returns MF_OK or MF_ENOMEM (IMG unchanged). */
int mf_image_apply_orientation(mf_image *img, int orientation);
#endif
