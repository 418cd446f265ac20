/* The font's capitals and punctuation (src/vision/draw.c), added for the
 * names on annotated pictures: "ADA?" against glyphs written out by hand,
 * and every glyph of the font distinct from every other (a name must not
 * read as digits: O, S, Z, I, B against 0, 5, 2, 1, 8). */
#include "mf_test.h"
#include "mcuface/mf_status.h"
#include "vision/draw.h"
#include <string.h>

static void test_ada(void)
{
    static const char *const expect[5] = {
        /* A   D   A   ?  (3 cells + 1 gap each) */
        ".#..##...#..##.",
        "#.#.#.#.#.#...#",
        "###.#.#.###..#.",
        "#.#.#.#.#.#....",
        "#.#.##..#.#..#.",
    };
    uint8_t buf[15 * 5] = {0};
    mf_image img = {buf, 15, 5, 15, 1};
    const uint8_t white[3] = {255, 255, 255};
    MF_CHECK_EQ_INT(mf_draw_text_width("ADA?", 1), 15);
    MF_CHECK_EQ_INT(mf_draw_text(&img, 0, 0, "ADA?", 1, white), MF_OK);
    int wrong = 0;
    for (int y = 0; y < 5; y++)
        for (int x = 0; x < 15; x++) wrong += (buf[y * 15 + x] == 255) != (expect[y][x] == '#');
    MF_CHECK_EQ_INT(wrong, 0);
    /* lower-case letters other than those of "face" stay outside the font */
    MF_CHECK_EQ_INT(mf_draw_text(&img, 0, 0, "Ada", 1, white), MF_EINVAL);
}

/* Renders C alone into a 3x5 bitmap (15 bits); -1 when C is not in the font. */
static int bitmap_of(char c)
{
    uint8_t buf[3 * 5] = {0};
    mf_image img = {buf, 3, 5, 3, 1};
    const uint8_t white[3] = {255, 255, 255};
    char text[2] = {c, 0};
    if (mf_draw_text(&img, 0, 0, text, 1, white) != MF_OK) return -1;
    int bits = 0;
    for (int i = 0; i < 15; i++) bits = bits << 1 | (buf[i] == 255);
    return bits;
}

static void test_all_distinct(void)
{
    const char *chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.-#%?_:()/+',acef";
    int n = (int)strlen(chars), missing = 0, same = 0, blank = 0;
    int bits[64];
    for (int i = 0; i < n; i++) {
        bits[i] = bitmap_of(chars[i]);
        missing += bits[i] < 0;
        blank += bits[i] == 0;
    }
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) same += bits[i] >= 0 && bits[i] == bits[j];
    MF_CHECK_EQ_INT(missing, 0);
    MF_CHECK_EQ_INT(blank, 0);
    MF_CHECK_EQ_INT(same, 0);
    MF_CHECK_EQ_INT(bitmap_of(' '), 0); /* the space draws nothing */
}

int main(void)
{
    MF_RUN(test_ada);
    MF_RUN(test_all_distinct);
    return mf_test_summary();
}
