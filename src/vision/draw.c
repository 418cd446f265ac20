/* Clipped drawing. Coordinates are clamped in 64-bit before the loops so
 * that wild inputs (INT_MIN, detector garbage) neither overflow nor write
 * outside the image. */
#include "vision/draw.h"
#include "mcuface/mf_status.h"

static void put_pixel(mf_image *img, int x, int y, const uint8_t colour[3])
{
    uint8_t *p = img->data + (size_t)y * (size_t)img->stride + (size_t)x * (size_t)img->channels;
    if (img->channels == 1) {
        p[0] = colour[0];
    } else {
        p[0] = colour[0];
        p[1] = colour[1];
        p[2] = colour[2];
    }
}

static long long clamp_ll(long long v, long long lo, long long hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Fills the inclusive rectangle after clipping it to the image. */
static void fill_clipped(mf_image *img, long long x1, long long y1, long long x2, long long y2,
                         const uint8_t colour[3])
{
    if (x2 < 0 || y2 < 0 || x1 >= img->width || y1 >= img->height || x1 > x2 || y1 > y2) return;
    int xa = (int)clamp_ll(x1, 0, img->width - 1), xb = (int)clamp_ll(x2, 0, img->width - 1);
    int ya = (int)clamp_ll(y1, 0, img->height - 1), yb = (int)clamp_ll(y2, 0, img->height - 1);
    for (int y = ya; y <= yb; y++)
        for (int x = xa; x <= xb; x++) put_pixel(img, x, y, colour);
}

int mf_draw_rect(mf_image *img, int x1, int y1, int x2, int y2, int thickness, const uint8_t colour[3])
{
    int err = mf_image_check(img);
    if (err) return err;
    if (!colour || thickness < 1) return MF_EINVAL;
    long long l = x1 < x2 ? x1 : x2, r = x1 < x2 ? x2 : x1;
    long long t = y1 < y2 ? y1 : y2, b = y1 < y2 ? y2 : y1;
    long long th = thickness - 1;
    fill_clipped(img, l, t, r, t + th, colour);     /* top */
    fill_clipped(img, l, b - th, r, b, colour);     /* bottom */
    fill_clipped(img, l, t, l + th, b, colour);     /* left */
    fill_clipped(img, r - th, t, r, b, colour);     /* right */
    return MF_OK;
}

int mf_draw_dot(mf_image *img, int cx, int cy, int radius, const uint8_t colour[3])
{
    int err = mf_image_check(img);
    if (err) return err;
    if (!colour || radius < 0) return MF_EINVAL;
    if (radius > MF_IMAGE_MAX_SIDE) return MF_ERANGE;
    long long r2 = (long long)radius * radius;
    for (long long dy = -radius; dy <= radius; dy++) {
        long long y = (long long)cy + dy;
        if (y < 0 || y >= img->height) continue;
        long long half = 0; /* widest dx with dx^2 + dy^2 <= r^2 */
        while ((half + 1) * (half + 1) + dy * dy <= r2) half++;
        fill_clipped(img, (long long)cx - half, y, (long long)cx + half, y, colour);
    }
    return MF_OK;
}

/* The font: five rows per glyph, bit 2 = left cell. Our own design. */
typedef struct glyph {
    char c;
    uint8_t rows[MF_DRAW_GLYPH_H];
} glyph;

static const glyph font[] = {
    {'0', {7, 5, 5, 5, 7}}, {'1', {2, 6, 2, 2, 7}}, {'2', {7, 1, 7, 4, 7}}, {'3', {7, 1, 7, 1, 7}},
    {'4', {5, 5, 7, 1, 1}}, {'5', {7, 4, 7, 1, 7}}, {'6', {7, 4, 7, 5, 7}}, {'7', {7, 1, 1, 1, 1}},
    {'8', {7, 5, 7, 5, 7}}, {'9', {7, 5, 7, 1, 7}}, {' ', {0, 0, 0, 0, 0}}, {'.', {0, 0, 0, 0, 2}},
    {'-', {0, 0, 7, 0, 0}}, {'#', {5, 7, 5, 7, 5}}, {'%', {5, 1, 2, 4, 5}}, {'a', {0, 6, 1, 7, 7}},
    {'c', {0, 7, 4, 4, 7}}, {'e', {7, 5, 7, 4, 7}}, {'f', {3, 4, 7, 4, 4}},
    /* capitals and a little punctuation, for names on labels (round O, S and Z unlike 0, 5 and 2) */
    {'A', {2, 5, 7, 5, 5}}, {'B', {6, 5, 6, 5, 6}}, {'C', {3, 4, 4, 4, 3}}, {'D', {6, 5, 5, 5, 6}},
    {'E', {7, 4, 6, 4, 7}}, {'F', {7, 4, 6, 4, 4}}, {'G', {3, 4, 5, 5, 3}}, {'H', {5, 5, 7, 5, 5}},
    {'I', {7, 2, 2, 2, 7}}, {'J', {1, 1, 1, 5, 2}}, {'K', {5, 5, 6, 5, 5}}, {'L', {4, 4, 4, 4, 7}},
    {'M', {5, 7, 7, 5, 5}}, {'N', {6, 5, 5, 5, 5}}, {'O', {2, 5, 5, 5, 2}}, {'P', {6, 5, 6, 4, 4}},
    {'Q', {2, 5, 5, 6, 3}}, {'R', {6, 5, 6, 5, 5}}, {'S', {3, 4, 2, 1, 6}}, {'T', {7, 2, 2, 2, 2}},
    {'U', {5, 5, 5, 5, 7}}, {'V', {5, 5, 5, 5, 2}}, {'W', {5, 5, 7, 7, 5}}, {'X', {5, 5, 2, 5, 5}},
    {'Y', {5, 5, 2, 2, 2}}, {'Z', {7, 1, 2, 4, 7}}, {'?', {6, 1, 2, 0, 2}}, {'_', {0, 0, 0, 0, 7}},
    {':', {0, 2, 0, 2, 0}}, {'(', {1, 2, 2, 2, 1}}, {')', {4, 2, 2, 2, 4}}, {'/', {1, 1, 2, 4, 4}},
    {'+', {0, 2, 7, 2, 0}}, {'\'', {2, 2, 0, 0, 0}}, {',', {0, 0, 0, 2, 4}},
};

static const glyph *find_glyph(char c)
{
    for (size_t i = 0; i < sizeof font / sizeof font[0]; i++)
        if (font[i].c == c) return &font[i];
    return NULL;
}

int mf_draw_text_width(const char *text, int scale)
{
    int n = 0;
    for (const char *p = text; p && *p; p++) n++;
    return n ? (n * (MF_DRAW_GLYPH_W + 1) - 1) * scale : 0;
}

int mf_draw_text(mf_image *img, int x, int y, const char *text, int scale, const uint8_t colour[3])
{
    int err = mf_image_check(img);
    if (err) return err;
    if (!text || !colour || scale < 1) return MF_EINVAL;
    if (scale > 64) return MF_ERANGE;
    for (const char *p = text; *p; p++)
        if (!find_glyph(*p)) return MF_EINVAL;
    long long gx = x;
    for (const char *p = text; *p; p++, gx += (MF_DRAW_GLYPH_W + 1) * (long long)scale) {
        const glyph *g = find_glyph(*p);
        for (int row = 0; row < MF_DRAW_GLYPH_H; row++)
            for (int col = 0; col < MF_DRAW_GLYPH_W; col++) {
                if (!(g->rows[row] >> (MF_DRAW_GLYPH_W - 1 - col) & 1)) continue;
                long long px = gx + (long long)col * scale, py = (long long)y + (long long)row * scale;
                fill_clipped(img, px, py, px + scale - 1, py + scale - 1, colour);
            }
    }
    return MF_OK;
}
