/* Host video files: frames decoded from a video file as RGB888 images, and
 * RGB888 images encoded into one, through Debian's libavformat, libavcodec
 * and libswscale. Not part of the portable core, and optional on the host:
 * a build without libav keeps these functions, which then return
 * MF_EUNSUPPORTED (mf_video_supported says which build this is).
 *
 * Ownership: a reader or writer is allocated by its open call and freed by
 * its close call (decoding allocates: the device build never links this).
 * Frames a reader returns are views of pixels the reader owns. */
#ifndef MCUFACE_MF_VIDEO_FILE_H
#define MCUFACE_MF_VIDEO_FILE_H
#include <stdint.h>
#include "mcuface/mf_image.h"

/* 1 when this build was linked with libav, 0 when every call below
 * returns MF_EUNSUPPORTED. */
int mf_video_supported(void);

typedef struct mf_video_reader mf_video_reader;

/* Opens the video file PATH (a regular file: FIFOs and devices are refused
 * before anything is read) and its best video stream. *OUT gets the reader
 * (NULL on error). Returns MF_OK; MF_EINVAL (NULL arguments); MF_ENOTFOUND
 * (no such file); MF_EIO (cannot read); MF_ECORRUPT (not a video file, or
 * truncated or damaged so that its header cannot be read); MF_EUNSUPPORTED
 * (no video stream, a codec this libav cannot decode, a FIFO or device,
 * or no libav in this build); MF_ERANGE (frames above MF_IMAGE_MAX_SIDE);
 * MF_ENOMEM. */
int mf_video_reader_open(mf_video_reader **out, const char *path);

/* Decodes the next frame into *FRAME: an RGB888 image (stride width * 3)
 * whose pixels the reader owns, valid until the next call or the close.
 * The size may change between frames when the stream does. Returns 1 (a
 * frame), 0 (the end of the video: *FRAME zeroed), or MF_ECORRUPT (damaged
 * or truncated data: the decoder is strict, it does not conceal errors),
 * MF_ERANGE (a frame above MF_IMAGE_MAX_SIDE), MF_ENOMEM, MF_EIO or
 * MF_EINVAL; after an error the reader only returns that error again. */
int mf_video_reader_next(mf_video_reader *reader, mf_image *frame);

/* The stream's nominal frame rate as NUM / DEN (25 / 1 when the file does
 * not say). Returns MF_OK or MF_EINVAL. */
int mf_video_reader_rate(const mf_video_reader *reader, int *num, int *den);

/* Frees the reader (NULL is ignored). */
void mf_video_reader_close(mf_video_reader *reader);

typedef struct mf_video_writer mf_video_writer;

/* Whether PATH names a file the writer would make: it ends in .mp4, .mkv,
 * .avi or .mov (case-insensitive). */
int mf_video_is_video_name(const char *path);

/* Creates (or replaces) the video file PATH for frames of WIDTH x HEIGHT at
 * RATE_NUM / RATE_DEN frames per second: MPEG-4 part 2 (libavcodec's own
 * encoder, in every Debian libavcodec) at constant quality, in the
 * container PATH's extension names (mf_video_is_video_name). Odd sides are
 * scaled down to even ones (4:2:0 chroma needs them). Returns MF_OK;
 * MF_EINVAL (NULL, bad sides or rate); MF_EUNSUPPORTED (another extension,
 * no encoder, or no libav); MF_EIO (cannot create PATH); MF_ENOMEM. */
int mf_video_writer_open(mf_video_writer **out, const char *path, int32_t width, int32_t height, int rate_num,
                         int rate_den);

/* Encodes IMAGE (RGB888, the writer's WIDTH x HEIGHT, any stride; read
 * only, not kept) as the next frame. Returns MF_OK, MF_EINVAL (other size
 * or channels), MF_EIO (write failed) or MF_ENOMEM. */
int mf_video_writer_add(mf_video_writer *writer, const mf_image *image);

/* Flushes the encoder, finishes the file and frees the writer (also after
 * an error; NULL is ignored). Returns MF_OK or MF_EIO (the file is then
 * incomplete). */
int mf_video_writer_close(mf_video_writer *writer);
#endif
