/* A program built against the public headers alone (include/mcuface, no
 * port/ or src/ on its include path; see cmake/image_tests.cmake): it writes
 * a 16 x 8 JPEG with libjpeg, splices in an EXIF Orientation of 6 (rotate
 * 90 clockwise), and decodes it through mf_image_decode. The result must be
 * 8 x 16 with the stored top-left corner (bright red) at the top right.
 * Exit 0 on success, 1 with a message otherwise. */
#include <mcuface/mf_image_file.h>
#include <mcuface/mf_status.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

#define W 16
#define H 8

int main(void)
{
    static uint8_t px[W * H * 3];
    for (int i = 0; i < W * H; i++) px[3 * i + 1] = 40; /* dark green everywhere ... */
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 4; x++) px[(y * W + x) * 3] = 250, px[(y * W + x) * 3 + 1] = 0; /* ... red top-left */
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    unsigned char *jpg = NULL;
    unsigned long jpg_n = 0;
    jpeg_mem_dest(&c, &jpg, &jpg_n);
    c.image_width = W;
    c.image_height = H;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    jpeg_start_compress(&c, TRUE);
    for (int y = 0; y < H; y++) {
        JSAMPROW row = px + y * W * 3;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    /* APP1: "Exif\0\0", little-endian TIFF, IFD0 with one entry: Orientation (0x0112) SHORT 1 = 6. */
    static const uint8_t app1[] = {0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0,
                                   1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0};
    size_t n = jpg_n + sizeof app1;
    uint8_t *file = malloc(n);
    if (!file) return 1;
    memcpy(file, jpg, 2);
    memcpy(file + 2, app1, sizeof app1);
    memcpy(file + 2 + sizeof app1, jpg + 2, jpg_n - 2);
    free(jpg);
    mf_image img;
    int err = mf_image_decode(file, n, &img);
    free(file);
    if (err) {
        printf("decode failed: %s\n", mf_status_str(err));
        return 1;
    }
    const uint8_t *top_right = img.data + (size_t)(img.width - 1) * 3;
    const uint8_t *top_left = img.data;
    int ok = img.width == H && img.height == W && top_right[0] > 200 && top_left[0] < 60;
    printf("decoded %dx%d, top-right R=%d, top-left R=%d: %s\n", img.width, img.height, top_right[0], top_left[0],
           ok ? "upright" : "WRONG");
    mf_image_free(&img);
    return ok ? 0 : 1;
}
