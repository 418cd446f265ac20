/* Host image files: JPEG (libjpeg-turbo), PNG (libpng), binary PPM/PGM and
 * BMP (our own parsers in port/posix). Implemented by the posix port only:
 * decoding allocates, so the device build never links this.
 *
 * Safety: every decoder refuses an image whose pixels would exceed the caps
 * below before it allocates them, refuses truncated data instead of filling
 * it in, and turns every library error into a status (no abort, no message
 * on stderr). Any input bytes are safe: mf_image_decode is the fuzz entry
 * point. */
#ifndef MCUFACE_MF_IMAGE_FILE_H
#define MCUFACE_MF_IMAGE_FILE_H
#include <stddef.h>
#include "mcuface/mf_image.h"

/* Largest file mf_image_load reads, and largest decoded image (pixels):
 * 2^25 pixels is a little over 8K UHD. */
#define MF_IMAGE_FILE_MAX_BYTES (256u * 1024u * 1024u)
#define MF_IMAGE_FILE_MAX_PIXELS (1L << 25)

/* Decompression-bomb caps for the compressed formats: a JPEG of N bytes may
 * declare at most MF_IMAGE_JPEG_PIXELS_PER_BYTE * N + MF_IMAGE_COMPRESSED_PIXEL_FLOOR
 * pixels, a PNG MF_IMAGE_PNG_PIXELS_PER_BYTE * N + the floor. Real photos
 * need 0.05..1 byte per pixel (a 12 MP phone JPEG is 2..6 MB), so 256 pixels
 * a byte refuses none of them while a 300-byte file cannot ask for more than
 * about a megapixel; a flat 12 MP baseline JPEG (about 0.016 byte a pixel)
 * still passes. For PNG, deflate expands at most 1032:1, so 8-bit RGB tops out
 * at 344 pixels a byte: 1024 a byte never refuses an 8-bit image that
 * deflate can produce (only 1/2/4-bit gray at extreme ratios). */
#define MF_IMAGE_JPEG_PIXELS_PER_BYTE 256L
#define MF_IMAGE_PNG_PIXELS_PER_BYTE 1024L
#define MF_IMAGE_COMPRESSED_PIXEL_FLOOR (1L << 20)
/* A progressive JPEG with more scans than this is refused (real encoders
 * write about 10; each scan may re-walk every coefficient). */
#define MF_IMAGE_JPEG_MAX_SCANS 100

/* Decodes N bytes at BYTES into *OUT, always as RGB888 (channels 3, stride
 * width * 3), choosing the format by its magic bytes:
 *   JPEG (FF D8 FF): baseline, progressive, gray or YCbCr, decoded as
 *     cv2.imread does (libjpeg-turbo defaults: JDCT_ISLOW, fancy upsampling),
 *     so the pixels equal OpenCV's; CMYK/YCCK JPEGs are MF_EUNSUPPORTED.
 *     Any libjpeg warning (premature end of data, corrupt entropy data,
 *     extraneous bytes) refuses the file as MF_ECORRUPT.
 *   PNG: any bit depth and colour type, converted as cv2.imread(IMREAD_COLOR)
 *     does: palette expanded, gray replicated, alpha dropped (not blended),
 *     16-bit samples cut to their high byte.
 *   PPM/PGM: binary P6/P5 with maxval 255 only (other maxvals, 16-bit
 *     included, and the ASCII P2/P3 are MF_EUNSUPPORTED); bytes after the
 *     raster are ignored.
 *   BMP: uncompressed 24- and 32-bit (alpha dropped; BI_BITFIELDS only with
 *     the standard R/G/B masks) and 8-bit paletted, bottom-up or top-down
 *     (negative height); RLE and other compressions are MF_EUNSUPPORTED.
 * On success *OUT owns malloc'd pixels: release them with mf_image_free. On
 * failure *OUT is zeroed and nothing is left allocated. Returns MF_OK,
 * MF_EINVAL (NULL arguments), MF_EUNSUPPORTED (another format: GIF, TIFF,
 * WebP, HDR, PIC, TGA, PSD, ..., or an unsupported variant above),
 * MF_ECORRUPT (empty, truncated or damaged, including a JPEG with no scan or
 * fewer lines than declared, and too many progressive scans), MF_ERANGE (a
 * side above MF_IMAGE_MAX_SIDE, more pixels than MF_IMAGE_FILE_MAX_PIXELS or
 * than the bomb caps above allow, N above MF_IMAGE_FILE_MAX_BYTES, or a
 * progressive JPEG needing more libjpeg memory than its declared size
 * explains) or MF_ENOMEM.
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

/* Reads the regular file PATH and decodes it as mf_image_decode does.
 * Returns its statuses, plus MF_ENOTFOUND (no such file), MF_EIO (read
 * error), MF_EUNSUPPORTED (a FIFO, device or directory: refused before any
 * read, so it never blocks) and MF_ERANGE (larger than
 * MF_IMAGE_FILE_MAX_BYTES: nothing is read). */
int mf_image_load(const char *path, mf_image *out);

/* Releases the pixels of an image from mf_image_load / mf_image_decode and
 * zeroes *IMG. NULL and already-freed (zeroed) images are ignored. */
void mf_image_free(mf_image *img);

/* Writes IMG (RGB888 or gray, any stride; the caller keeps owning it) to
 * PATH as an 8-bit PNG (libpng, zlib's default level). Returns MF_OK,
 * MF_EINVAL / MF_ERANGE (bad image) or MF_EIO (cannot write; a partly
 * written file is removed). */
int mf_image_save_png(const char *path, const mf_image *img);
#endif
