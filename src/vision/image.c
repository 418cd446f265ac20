/* mf_image validation and views: every size computed here is bounded by the
 * caps in mf_image.h, so the products below cannot overflow. */
#include "mcuface/mf_image.h"
#include "mcuface/mf_status.h"

static int check_shape(int width, int height, int channels)
{
    if (channels != 1 && channels != 3) return MF_EINVAL;
    if (width < 1 || height < 1) return MF_EINVAL;
    if (width > MF_IMAGE_MAX_SIDE || height > MF_IMAGE_MAX_SIDE) return MF_ERANGE;
    return MF_OK;
}

int mf_image_check(const mf_image *img)
{
    if (!img || !img->data) return MF_EINVAL;
    int err = check_shape(img->width, img->height, img->channels);
    if (err) return err;
    if (img->stride > MF_IMAGE_MAX_STRIDE) return MF_ERANGE;
    if (img->stride < img->width * img->channels) return MF_EINVAL;
    return MF_OK;
}

int mf_image_bytes(int width, int height, int channels, size_t *bytes)
{
    if (!bytes) return MF_EINVAL;
    int err = check_shape(width, height, channels);
    if (err) return err;
    *bytes = (size_t)width * (size_t)channels * (size_t)height;
    return MF_OK;
}

int mf_image_init(mf_image *img, void *data, size_t data_bytes, int width, int height, int channels)
{
    size_t need;
    if (!img || !data) return MF_EINVAL;
    int err = mf_image_bytes(width, height, channels, &need);
    if (err) return err;
    if (data_bytes < need) return MF_ENOMEM;
    img->data = (uint8_t *)data;
    img->width = width;
    img->height = height;
    img->stride = width * channels;
    img->channels = channels;
    return MF_OK;
}

int mf_image_crop_view(const mf_image *src, int x, int y, int width, int height, mf_image *view)
{
    if (!view) return MF_EINVAL;
    int err = mf_image_check(src);
    if (err) return err;
    if (x < 0 || y < 0 || width < 1 || height < 1) return MF_EINVAL;
    if (width > src->width - x || height > src->height - y) return MF_EINVAL;
    view->data = src->data + (size_t)y * (size_t)src->stride + (size_t)x * (size_t)src->channels;
    view->width = width;
    view->height = height;
    view->stride = src->stride;
    view->channels = src->channels;
    return MF_OK;
}
