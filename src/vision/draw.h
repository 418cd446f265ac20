/* Drawing for annotated output: rectangle outlines and filled dots, clipped
 * to the image (shapes partly or wholly outside are fine). COLOUR has three
 * entries (R, G, B); gray images use COLOUR[0]. */
#ifndef MCUFACE_VISION_DRAW_H
#define MCUFACE_VISION_DRAW_H
#include <stdint.h>
#include "mcuface/mf_image.h"

/* Outlines the rectangle with corners (X1, Y1) and (X2, Y2) (inclusive, any
 * order) with lines THICKNESS pixels wide (>= 1), drawn inward from the
 * edges. Returns MF_OK, MF_EINVAL or MF_ERANGE. */
int mf_draw_rect(mf_image *img, int x1, int y1, int x2, int y2, int thickness, const uint8_t colour[3]);

/* Fills the disc of RADIUS (>= 0; 0 is one pixel) centred on (CX, CY):
 * pixels with dx^2 + dy^2 <= radius^2. Returns MF_OK, MF_EINVAL or MF_ERANGE. */
int mf_draw_dot(mf_image *img, int cx, int cy, int radius, const uint8_t colour[3]);

/* Each glyph of the built-in font is MF_DRAW_GLYPH_W x MF_DRAW_GLYPH_H
 * cells, advanced by MF_DRAW_GLYPH_W + 1; a cell is SCALE x SCALE pixels. */
#define MF_DRAW_GLYPH_W 3
#define MF_DRAW_GLYPH_H 5

/* Width in pixels of TEXT drawn at SCALE (0 for an empty string). */
int mf_draw_text_width(const char *text, int scale);

/* Writes TEXT with its top-left corner at (X, Y), SCALE (1..64) pixels per
 * font cell, in COLOUR; only the glyph's set cells are drawn. The font (our
 * own 3x5 design) has the digits, the capitals 'A'..'Z', ' ', '.', '-',
 * '#', '%', '?', '_', ':', '(', ')', '/', '+', '\'', ',' and the small
 * letters of "face" ('a', 'c', 'e', 'f'). Returns MF_OK, MF_EINVAL (NULL, a
 * character outside the font: nothing drawn) or MF_ERANGE. */
int mf_draw_text(mf_image *img, int x, int y, const char *text, int scale, const uint8_t colour[3]);
#endif
