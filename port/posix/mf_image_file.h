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
 * (not an image, truncated or damaged) or MF_ERANGE (dimensions above
 * MF_IMAGE_MAX_SIDE or MF_IMAGE_FILE_MAX_PIXELS, or N too large). Safe on
 * any input bytes: this is the fuzz entry point. */
int mf_image_decode(const void *bytes, size_t n, mf_image *out);

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
