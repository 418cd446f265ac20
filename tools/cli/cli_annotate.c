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

void cli_annotation_label(const cli_annotation *a, char *out, size_t out_size)
{
    char name[24];
    if (a->live == 0) snprintf(name, sizeof name, "SPOOF");
    else snprintf(name, sizeof name, "%s", a->name ? a->name : "unknown");
    char score[16] = "", live[24] = "", track[16] = "";
    if (a->track) snprintf(track, sizeof track, "#%u ", a->track);
    if (a->has_score && a->live != 0) snprintf(score, sizeof score, " %.2f", a->score);
    if (a->live == 1) snprintf(live, sizeof live, " LIVE %.2f", a->live_score);
    if (a->live == 0) snprintf(live, sizeof live, " %.2f", a->live_score);
    snprintf(out, out_size, "%s%s%s%s", track, name, score, live);
}

int cli_annotate(mf_image *img, const cli_annotation *faces, int count)
{
    int err = mf_image_check(img);
    for (int i = 0; i < count && !err; i++) {
        const cli_annotation *a = &faces[i];
        err = mf_draw_rect(img, (int)a->box[0], (int)a->box[1], (int)a->box[2], (int)a->box[3], 2, colour_of(a));
    }
    return err;
}
