/* The official WIDER FACE evaluation (eval_tools / its Python port):
 * scores normalised to [0, 1] over the whole set; 1000 thresholds; a
 * prediction whose best-overlapping ground truth is outside the subset is
 * ignored; several predictions may match one face;
 * IoU with +1 pixel areas; VOC-style AP over the precision envelope. A second
 * detection of an already found face adds no recall but still counts as a
 * proposal, lowering precision. */
#include "widerface_ap.h"
#include "mcuface/mf_status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THRESHOLDS 1000

int wider_load_ground_truth(const char *path, wider_image **images)
{
    FILE *f = fopen(path, "r");
    if (!f) return MF_ENOTFOUND;
    size_t cap = 64, count = 0;
    wider_image *list = calloc(cap, sizeof *list);
    char line[512];
    int err = list ? MF_OK : MF_ENOMEM;
    while (!err && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0]) continue;
        if (count == cap) {
            wider_image *grown = realloc(list, 2 * cap * sizeof *list);
            if (!grown) { err = MF_ENOMEM; break; }
            memset(grown + cap, 0, cap * sizeof *list);
            list = grown;
            cap *= 2;
        }
        wider_image *im = &list[count++];
        if (strlen(line) >= sizeof im->path) { err = MF_ERANGE; break; }
        memcpy(im->path, line, strlen(line) + 1);
        long n;
        if (!fgets(line, sizeof line, f) || sscanf(line, "%ld", &n) != 1 || n < 0 || n > 100000) {
            err = MF_ECORRUPT;
            break;
        }
        im->gt = calloc(n ? (size_t)n : 1, sizeof *im->gt);
        if (!im->gt) { err = MF_ENOMEM; break; }
        im->gt_count = (size_t)n;
        for (long i = 0; i < n; i++) {
            char flags[16] = "";
            wider_gt_box *b = &im->gt[i];
            if (!fgets(line, sizeof line, f) || sscanf(line, "%f %f %f %f %15s", &b->x, &b->y, &b->w, &b->h, flags) < 4) {
                err = MF_ECORRUPT;
                break;
            }
            b->subsets = (strchr(flags, 'e') ? WIDER_EASY : 0) | (strchr(flags, 'm') ? WIDER_MEDIUM : 0) |
                         (strchr(flags, 'h') ? WIDER_HARD : 0);
        }
    }
    fclose(f);
    if (err) {
        wider_free(list, count);
        return err;
    }
    *images = list;
    return (int)count;
}

void wider_free(wider_image *images, size_t count)
{
    if (!images) return;
    for (size_t i = 0; i < count; i++) {
        free(images[i].gt);
        free(images[i].pred);
    }
    free(images);
}

static double iou_plus_one(const wider_pred_box *p, const wider_gt_box *g)
{
    /* Both boxes as x1, y1, x2, y2 with x2 = x1 + w, areas with +1. */
    double gx2 = g->x + g->w, gy2 = g->y + g->h;
    double iw = (p->x2 < gx2 ? p->x2 : gx2) - (p->x1 > g->x ? p->x1 : g->x) + 1;
    double ih = (p->y2 < gy2 ? p->y2 : gy2) - (p->y1 > g->y ? p->y1 : g->y) + 1;
    if (iw <= 0 || ih <= 0) return 0;
    double ua = (p->x2 - p->x1 + 1) * (p->y2 - p->y1 + 1) + (g->w + 1) * (g->h + 1) - iw * ih;
    return iw * ih / ua;
}

double wider_average_precision(const wider_image *images, size_t count, unsigned subset)
{
    double min_score = 1e30, max_score = -1e30;
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; k < images[i].pred_count; k++) {
            double s = images[i].pred[k].score;
            if (s < min_score) min_score = s;
            if (s > max_score) max_score = s;
        }
    double range = max_score - min_score;
    static double proposals[THRESHOLDS], matched[THRESHOLDS];
    memset(proposals, 0, sizeof proposals);
    memset(matched, 0, sizeof matched);
    size_t faces = 0;
    for (size_t i = 0; i < count; i++) {
        const wider_image *im = &images[i];
        for (size_t g = 0; g < im->gt_count; g++) faces += (im->gt[g].subsets & subset) != 0;
        if (im->gt_count == 0 || im->pred_count == 0) continue;
        int *gt_state = calloc(im->gt_count, sizeof *gt_state);    /* 1 found, -1 ignored */
        int *proposal = malloc(im->pred_count * sizeof *proposal); /* 1 counts, -1 ignored */
        size_t *recall_at = malloc(im->pred_count * sizeof *recall_at);
        if (!gt_state || !proposal || !recall_at) {
            free(gt_state); free(proposal); free(recall_at);
            return -1;
        }
        size_t found = 0;
        for (size_t h = 0; h < im->pred_count; h++) {
            proposal[h] = 1;
            double best = -1;
            size_t best_g = 0;
            for (size_t g = 0; g < im->gt_count; g++) {
                double o = iou_plus_one(&im->pred[h], &im->gt[g]);
                if (o > best) { best = o; best_g = g; }
            }
            if (best >= 0.5) {
                if (!(im->gt[best_g].subsets & subset)) {
                    if (gt_state[best_g] == 1) found--;
                    gt_state[best_g] = -1;
                    proposal[h] = -1;
                } else if (gt_state[best_g] == 0) {
                    gt_state[best_g] = 1;
                    found++;
                }
            }
            recall_at[h] = found;
        }
        /* Thresholds fall as t grows, so the last prediction at or above
         * each one only moves forward (scores are sorted). */
        long last = -1;
        size_t counted = 0;
        for (int t = 0; t < THRESHOLDS; t++) {
            double thresh = 1.0 - (double)(t + 1) / THRESHOLDS;
            while (last + 1 < (long)im->pred_count) {
                double s = range > 0 ? (im->pred[last + 1].score - min_score) / range : 1.0;
                if (s < thresh) break;
                last++;
                counted += proposal[last] == 1;
            }
            if (last < 0) continue;
            proposals[t] += (double)counted;
            matched[t] += (double)recall_at[last];
        }
        free(gt_state);
        free(proposal);
        free(recall_at);
    }
    if (faces == 0) return 0;
    /* precision / recall per threshold, then the VOC envelope */
    static double rec[THRESHOLDS + 2], prec[THRESHOLDS + 2];
    rec[0] = 0;
    prec[0] = 0;
    for (int t = 0; t < THRESHOLDS; t++) {
        prec[t + 1] = proposals[t] > 0 ? matched[t] / proposals[t] : 0;
        rec[t + 1] = matched[t] / (double)faces;
    }
    rec[THRESHOLDS + 1] = 1;
    prec[THRESHOLDS + 1] = 0;
    for (int i = THRESHOLDS; i >= 0; i--)
        if (prec[i + 1] > prec[i]) prec[i] = prec[i + 1];
    double ap = 0;
    for (int i = 1; i < THRESHOLDS + 2; i++)
        if (rec[i] != rec[i - 1]) ap += (rec[i] - rec[i - 1]) * prec[i];
    return ap;
}
