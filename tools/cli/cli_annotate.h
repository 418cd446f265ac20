/* Annotated pictures of identified faces, shared by `identify -o` and
 * `video -o`: each face's box, coloured by the decision (green: a known
 * live face, yellow: live but unknown, red: a spoof, white: liveness not
 * checked), with a tag above it saying the track, the name (or UNKNOWN),
 * the match score and LIVE / SPOOF with the live score. */
#ifndef MCUFACE_CLI_ANNOTATE_H
#define MCUFACE_CLI_ANNOTATE_H
#include <stddef.h>
#include <stdint.h>
#include "mcuface/mf_image.h"

typedef struct cli_annotation {
    float box[4];        /* x1, y1, x2, y2 in image pixels */
    uint32_t track;      /* 0: not tracked */
    int live;            /* 1 live, 0 spoof, -1 not checked */
    float live_score;
    const char *name;    /* the accepted identity's name; NULL: unknown */
    int has_score;       /* SCORE is the best match score */
    float score;
} cli_annotation;

/* The tag text of A into OUT (e.g. "#2 ADA 0.71 LIVE 0.98"): capitals,
 * characters the font lacks as '?', the name cut to fit. */
void cli_annotation_label(const cli_annotation *a, char *out, size_t out_size);

/* Draws COUNT faces on IMG (RGB888; boxes first, then every tag, so no box
 * covers a tag). Returns MF_OK or a drawing error. */
int cli_annotate(mf_image *img, const cli_annotation *faces, int count);
#endif
