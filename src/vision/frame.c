/* mf_frame views (local stand-in: RGB888 only; see include/mcuface/mf_frame.h). */
#include "mcuface/mf_frame.h"
#include "mcuface/mf_status.h"
#include <string.h>

int mf_frame_init(mf_frame *frame, mf_pixel_format format, const void *data, size_t size, int32_t width,
                  int32_t height, int32_t stride)
{
    if (!frame) return MF_EINVAL;
    memset(frame, 0, sizeof *frame);
    if (!data || width < 1 || height < 1 || stride < 0) return MF_EINVAL;
    if (format != MF_PIXEL_RGB888) return format >= MF_PIXEL_BGR888 && format <= MF_PIXEL_GRAY8 ? MF_EUNSUPPORTED : MF_EINVAL;
    if (width > MF_IMAGE_MAX_SIDE || height > MF_IMAGE_MAX_SIDE || stride > MF_IMAGE_MAX_STRIDE) return MF_ERANGE;
    int32_t row = width * 3;
    if (stride == 0) stride = row;
    if (stride < row) return MF_EINVAL;
    if (size < (size_t)stride * (size_t)(height - 1) + (size_t)row) return MF_EINVAL;
    frame->data = data;
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
    memset(frame, 0, sizeof *frame);
    int err = mf_image_check(image);
    if (err) return err;
    if (image->channels != 3) return MF_EUNSUPPORTED;
    size_t size = (size_t)image->stride * (size_t)(image->height - 1) + (size_t)image->width * 3;
    return mf_frame_init(frame, MF_PIXEL_RGB888, image->data, size, image->width, image->height, image->stride);
}
