/* PNG through Debian's libpng: decoding with the conversions
 * cv2.imread(IMREAD_COLOR) asks libpng for (palette expanded, gray
 * replicated, alpha stripped, 16-bit cut to 8), and writing. libpng reports
 * errors by longjmp: each setjmp sits in a function whose own locals never
 * change after it, and the IHDR size is checked against the caps before
 * the pixels are allocated. */
#include "image_codecs.h"
#include "mcuface/mf_image_file.h"
#include "mcuface/mf_status.h"
#include <png.h>
#include <stdio.h>
#include <string.h>

/* Largest ancillary chunk (iCCP, zTXt, ...) libpng may inflate. */
#define PNG_MAX_CHUNK_BYTES (4u << 20)

typedef struct png_reader {
    const uint8_t *bytes;
    size_t n, at;
    int status; /* why libpng's longjmp came */
    png_bytep *rows;
} png_reader;

static void on_png_error(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_reader *r = (png_reader *)png_get_error_ptr(png);
    if (r && r->status == MF_OK) r->status = MF_ECORRUPT;
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    (void)png; /* benign (ancillary CRC, extra data): cv2 decodes the same image; stay silent */
    (void)msg;
}

static void read_from_memory(png_structp png, png_bytep dst, size_t len)
{
    png_reader *r = (png_reader *)png_get_io_ptr(png);
    if (len > r->n - r->at) png_error(png, "truncated"); /* never fill in missing data */
    memcpy(dst, r->bytes + r->at, len);
    r->at += len;
}

static void decode_rows(png_structp png, png_infop info, png_reader *r, mf_image *out)
{
    png_set_read_fn(png, r, read_from_memory);
    /* libpng's own side limit (1,000,000) would turn big IHDRs into errors;
     * lift it so mf_image_check_caps reports them as MF_ERANGE. */
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_set_chunk_malloc_max(png, PNG_MAX_CHUNK_BYTES);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    int err = mf_image_check_caps((long)w, (long)h, r->n, MF_IMAGE_PNG_PIXELS_PER_BYTE);
    if (err) {
        r->status = err;
        return;
    }
    int depth = png_get_bit_depth(png, info), type = png_get_color_type(png, info);
    /* The transformations of OpenCV's PngDecoder::readData for a 3-channel 8-bit result. */
    if (depth == 16) png_set_strip_16(png);
    png_set_strip_alpha(png);
    if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if ((type & PNG_COLOR_MASK_COLOR) == 0 && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if ((type & PNG_COLOR_MASK_COLOR) == 0) png_set_gray_to_rgb(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_channels(png, info) != 3 || png_get_bit_depth(png, info) != 8 ||
        png_get_rowbytes(png, info) != (size_t)w * 3) {
        r->status = MF_ECORRUPT;
        return;
    }
    err = mf_image_alloc_rgb((int)w, (int)h, out);
    if (err) {
        r->status = err;
        return;
    }
    r->rows = png_malloc(png, sizeof(png_bytep) * h);
    for (png_uint_32 y = 0; y < h; y++) r->rows[y] = out->data + (size_t)y * (size_t)out->stride;
    png_read_image(png, r->rows);
    png_read_end(png, NULL); /* through IEND: a file cut after the pixels is refused too */
}

static void decode_guarded(png_structp png, png_infop info, png_reader *r, mf_image *out)
{
    if (setjmp(png_jmpbuf(png)) != 0) return; /* r->status says why */
    decode_rows(png, info, r, out);
}

int mf_decode_png(const uint8_t *bytes, size_t n, mf_image *out)
{
    png_reader r = {bytes, n, 0, MF_OK, NULL};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, on_png_error, on_png_warning);
    if (!png) return MF_ENOMEM;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return MF_ENOMEM;
    }
    decode_guarded(png, info, &r, out);
    png_free(png, r.rows);
    png_destroy_read_struct(&png, &info, NULL);
    return r.status;
}

typedef struct png_writer {
    FILE *file;
    int failed;
} png_writer;

static void on_png_write_error(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_writer *w = (png_writer *)png_get_error_ptr(png);
    if (w) w->failed = 1;
    png_longjmp(png, 1);
}

static void write_guarded(png_structp png, png_infop info, png_writer *w, const mf_image *img)
{
    if (setjmp(png_jmpbuf(png)) != 0) return;
    png_init_io(png, w->file);
    int type = img->channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB;
    png_set_IHDR(png, info, (png_uint_32)img->width, (png_uint_32)img->height, 8, type, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < img->height; y++) png_write_row(png, img->data + (size_t)y * (size_t)img->stride);
    png_write_end(png, NULL);
}

int mf_image_save_png(const char *path, const mf_image *img)
{
    if (!path) return MF_EINVAL;
    int err = mf_image_check(img);
    if (err) return err;
    png_writer w = {fopen(path, "wb"), 0};
    if (!w.file) return MF_EIO;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &w, on_png_write_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (info) write_guarded(png, info, &w, img);
    else w.failed = 1;
    png_destroy_write_struct(&png, &info);
    if (fclose(w.file) != 0) w.failed = 1;
    if (w.failed) {
        remove(path);
        return MF_EIO;
    }
    return MF_OK;
}
