/* WIDER FACE average precision, as the official evaluation computes it
 * (tools/eval/widerface_ap.py is the readable Python twin; docs/models/RETINAFACE.md). */
#ifndef MCUFACE_WIDERFACE_AP_H
#define MCUFACE_WIDERFACE_AP_H
#include <stddef.h>

enum { WIDER_EASY = 1, WIDER_MEDIUM = 2, WIDER_HARD = 4 };

typedef struct wider_gt_box {
    float x, y, w, h;
    unsigned subsets; /* WIDER_EASY | WIDER_MEDIUM | WIDER_HARD bits; 0 = ignored everywhere */
} wider_gt_box;

typedef struct wider_pred_box {
    float x1, y1, x2, y2, score;
} wider_pred_box;

typedef struct wider_image {
    char path[256];
    wider_gt_box *gt;
    size_t gt_count;
    wider_pred_box *pred; /* sorted by score, highest first */
    size_t pred_count;
} wider_image;

/* Parses the ground-truth file (path, count, then `x y w h flags` lines).
 * Returns the image count (>= 0) or a negative mf_status; *IMAGES is
 * malloc'd, free with wider_free. */
int wider_load_ground_truth(const char *path, wider_image **images);
void wider_free(wider_image *images, size_t count);

/* AP of one subset (WIDER_EASY, ...) at IoU 0.5 over all images. */
double wider_average_precision(const wider_image *images, size_t count, unsigned subset);
#endif
