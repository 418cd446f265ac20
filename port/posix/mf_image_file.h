/* Host image files (stb_image / stb_image_write). Not part of the portable
 * core: decoding allocates, so the device build never links this. */
#ifndef MCUFACE_MF_IMAGE_FILE_H
#define MCUFACE_MF_IMAGE_FILE_H
#include <stddef.h>
#include "mcuface/mf_image.h"

/* Largest file mf_image_load reads, and largest decoded image (pixels):
 * 2^25 pixels is a little over 8K UHD; bigger headers are refused before
 * any pixel memory is allocated. */
#define MF_IMAGE_FILE_MAX_BYTES (256u * 1024u * 1024u)
#define MF_IMAGE_FILE_MAX_PIXELS (1L << 25)

/* Decodes a JPEG, PNG, PPM/PGM (also BMP, TGA, GIF first frame: whatever
 * stb_image accepts) from N bytes at BYTES into *OUT, always as RGB888
 * (channels 3, stride width * 3). On success *OUT owns malloc'd pixels:
 * release them with mf_image_free. On failure *OUT is zeroed and nothing is
 * left allocated. Returns MF_OK, MF_EINVAL (NULL arguments), MF_ECORRUPT
 * (not an image, truncated or damaged), MF_ERANGE (dimensions above
 * MF_IMAGE_MAX_SIDE or MF_IMAGE_FILE_MAX_PIXELS, or N too large) or
 * MF_ENOMEM. Safe on any input bytes: this is the fuzz entry point.
 *
 * EXIF orientation: a JPEG's image is always returned upright, as viewers
 * and cv2.imread show it. The Orientation tag (mf_image_exif_orientation)
 * is applied after decoding: 2 mirror left-right, 3 rotate 180, 4 mirror
 * top-bottom, 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 90
 * counter-clockwise. For 5..8 width and height are those of the stored
 * JPEG swapped. Other formats are returned as stored. */
int mf_image_decode(const void *bytes, size_t n, mf_image *out);

/* The EXIF Orientation (TIFF tag 0x0112 in IFD0 of the first APP1 "Exif"
 * segment before the image data) of the JPEG in N bytes at BYTES: 1..8.
 * Returns 1 (as stored) when BYTES is not a JPEG, has no such tag, or the
 * EXIF data is malformed, truncated or out of range: never an error, and
 * never reads outside the N bytes. */
int mf_image_exif_orientation(const void *bytes, size_t n);

/* Reads PATH and decodes it as mf_image_decode does. Returns its statuses,
 * plus MF_ENOTFOUND (cannot open) and MF_EIO (read error, or the file is
 * larger than MF_IMAGE_FILE_MAX_BYTES). */
int mf_image_load(const char *path, mf_image *out);

/* Releases the pixels of an image from mf_image_load / mf_image_decode and
 * zeroes *IMG. NULL and already-freed (zeroed) images are ignored. */
void mf_image_free(mf_image *img);

/* Writes IMG (RGB888 or gray, any stride) to PATH as PNG. Returns MF_OK,
 * MF_EINVAL / MF_ERANGE (bad image) or MF_EIO (cannot write). */
int mf_image_save_png(const char *path, const mf_image *img);
#endif
