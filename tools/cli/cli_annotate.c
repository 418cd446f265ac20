/* Annotated pictures of identified faces (cli_annotate.h). */
#include "cli_annotate.h"
#include "mcuface/mf_status.h"
#include "vision/draw.h"
#include <stdio.h>
#include <string.h>

static const uint8_t known_colour[3] = {0, 220, 0}, unknown_colour[3] = {255, 200, 0}, spoof_colour[3] = {230, 0, 0},
                     unchecked_colour[3] = {255, 255, 255};

static const uint8_t *colour_of(const cli_annotation *a)
{
    if (a->live == 0) return spoof_colour;
    if (a->name) return known_colour;
    return a->live == 1 ? unknown_colour : unchecked_colour;
}

#define TAG_SCALE 2  /* font cells of 2x2 pixels: 10-pixel capitals */
#define TAG_PAD 2
#define NAME_CHARS 16

/* NAME in the font: capitals, one '?' per character it lacks (a UTF-8
 * sequence counts once), at most NAME_CHARS characters. */
static void font_name(const char *name, char *out)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && n < NAME_CHARS; p++) {
        unsigned char c = *p;
        if (c >= 0x80 && c < 0xC0) continue; /* a UTF-8 continuation byte */
        if (c >= 'a' && c <= 'z') c = (unsigned char)(c - 'a' + 'A');
        int known = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr(" .-#%?_:()/+',", c));
        out[n++] = known ? (char)c : '?';
    }
    out[n] = '\0';
}

void cli_annotation_label(const cli_annotation *a, char *out, size_t out_size)
{
    char name[NAME_CHARS + 1];
    font_name(a->live == 0 ? "spoof" : a->name ? a->name : "unknown", name);
    char track[16] = "", score[16] = "", live[24] = "";
    if (a->track) snprintf(track, sizeof track, "#%u ", a->track);
    if (a->has_score && a->live != 0) snprintf(score, sizeof score, " %.2f", a->score);
    if (a->live == 1) snprintf(live, sizeof live, " LIVE %.2f", a->live_score);
    else if (a->live == 0) snprintf(live, sizeof live, " %.2f", a->live_score);
    snprintf(out, out_size, "%s%s%s%s", track, name, score, live);
}

/* The tag: LABEL in black on the box colour, on the box's top edge (above
 * it, or inside when the box touches the top of the image). */
static int draw_tag(mf_image *img, const cli_annotation *a, const uint8_t *colour)
{
    static const uint8_t black[3] = {0, 0, 0};
    char label[96];
    cli_annotation_label(a, label, sizeof label);
    int height = MF_DRAW_GLYPH_H * TAG_SCALE + 2 * TAG_PAD;
    int width = mf_draw_text_width(label, TAG_SCALE) + 2 * TAG_PAD;
    int x = (int)a->box[0], y = (int)a->box[1] - height;
    if (y < 0) y = (int)a->box[1];
    int err = mf_draw_rect(img, x, y, x + width - 1, y + height - 1, height, colour);
    return err ? err : mf_draw_text(img, x + TAG_PAD, y + TAG_PAD, label, TAG_SCALE, black);
}

int cli_annotate(mf_image *img, const cli_annotation *faces, int count)
{
    int err = mf_image_check(img);
    for (int i = 0; i < count && !err; i++) {
        const cli_annotation *a = &faces[i];
        err = mf_draw_rect(img, (int)a->box[0], (int)a->box[1], (int)a->box[2], (int)a->box[3], 2, colour_of(a));
    }
    for (int i = 0; i < count && !err; i++) err = draw_tag(img, &faces[i], colour_of(&faces[i])); /* over every box */
    return err;
}
