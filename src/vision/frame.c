/* mf_frame validation, views over mf_image, and the full conversion to an
 * RGB888 image. Sizes are computed in uint64 and checked against SIZE, so a
 * hostile width / stride cannot wrap a 32-bit size_t. */
#include "mcuface/mf_frame.h"
#include "mcuface/mf_status.h"
#include "vision/frame.h"
#include "vision/frame_convert.h"
#include <string.h>

int32_t mf_pixel_format_bytes(mf_pixel_format format)
{
    switch (format) {
    case MF_PIXEL_RGB888:
    case MF_PIXEL_BGR888: return 3;
    case MF_PIXEL_RGB565:
    case MF_PIXEL_RGB565_BE:
    case MF_PIXEL_YUYV:
    case MF_PIXEL_UYVY: return 2;
    case MF_PIXEL_NV12:
    case MF_PIXEL_GRAY8: return 1;
    }
    return 0;
}

/* Bytes the layout needs: the last row of each plane may stop at its row bytes. */
static uint64_t needed_bytes(mf_pixel_format format, int32_t width, int32_t height, int32_t stride)
{
    uint64_t row = (uint64_t)width * (uint64_t)mf_pixel_format_bytes(format);
    uint64_t need = (uint64_t)stride * (uint64_t)(height - 1) + row;
    if (format == MF_PIXEL_NV12) /* UV plane: height / 2 rows of width bytes, after height Y rows */
        need = (uint64_t)stride * (uint64_t)height + (uint64_t)stride * (uint64_t)(height / 2 - 1) + row;
    return need;
}

static int check_frame(mf_pixel_format format, const void *data, size_t size, int32_t width, int32_t height,
                       int32_t stride)
{
    int32_t bpp = mf_pixel_format_bytes(format);
    if (!data || bpp == 0) return MF_EINVAL;
    if (width < 1 || height < 1) return MF_EINVAL;
    if (width > MF_IMAGE_MAX_SIDE || height > MF_IMAGE_MAX_SIDE) return MF_ERANGE;
    if (stride > MF_IMAGE_MAX_STRIDE) return MF_ERANGE;
    if (stride < width * bpp) return MF_EINVAL;
    if ((format == MF_PIXEL_YUYV || format == MF_PIXEL_UYVY || format == MF_PIXEL_NV12) && (width & 1))
        return MF_EINVAL;
    if (format == MF_PIXEL_NV12 && (height & 1)) return MF_EINVAL;
    if ((uint64_t)size < needed_bytes(format, width, height, stride)) return MF_EINVAL;
    return MF_OK;
}

int mf_frame_init(mf_frame *frame, mf_pixel_format format, const void *data, size_t size, int32_t width,
                  int32_t height, int32_t stride)
{
    if (!frame) return MF_EINVAL;
    memset(frame, 0, sizeof *frame);
    int32_t bpp = mf_pixel_format_bytes(format);
    if (stride == 0 && width > 0 && width <= MF_IMAGE_MAX_SIDE) stride = width * bpp;
    int err = check_frame(format, data, size, width, height, stride);
    if (err) return err;
    frame->data = (const uint8_t *)data;
    frame->size = size;
    frame->width = width;
    frame->height = height;
    frame->stride = stride;
    frame->format = format;
    return MF_OK;
}

int mf_frame_from_image(const mf_image *image, mf_frame *frame)
{
    if (!frame) return MF_EINVAL;
    int err = mf_image_check(image);
    if (err) {
        memset(frame, 0, sizeof *frame);
        return err;
    }
    size_t size = (size_t)image->stride * (size_t)(image->height - 1) + (size_t)image->width * (size_t)image->channels;
    return mf_frame_init(frame, image->channels == 3 ? MF_PIXEL_RGB888 : MF_PIXEL_GRAY8, image->data, size,
                         image->width, image->height, image->stride);
}

int mf_frame_check(const mf_frame *f)
{
    if (!f) return MF_EINVAL;
    return check_frame(f->format, f->data, f->size, f->width, f->height, f->stride);
}

int mf_frame_rgb_view(const mf_frame *f, mf_image *view)
{
    if (f->format != MF_PIXEL_RGB888) return 0;
    /* The image API has no const pixels; the samplers given this view only read it. */
    view->data = (uint8_t *)(uintptr_t)f->data;
    view->width = f->width;
    view->height = f->height;
    view->stride = f->stride;
    view->channels = 3;
    return 1;
}

int mf_frame_to_image(const mf_frame *frame, mf_image *rgb)
{
    if (mf_frame_check(frame) != MF_OK || mf_image_check(rgb) != MF_OK) return MF_EINVAL;
    if (rgb->channels != 3 || rgb->width != frame->width || rgb->height != frame->height) return MF_EINVAL;
    for (int32_t y = 0; y < frame->height; y++)
        mf_frame_row_to_rgb(frame, y, 0, frame->width, rgb->data + (size_t)y * (size_t)rgb->stride);
    return MF_OK;
}
