#include "vision/nms.h"
#include "mcuface/mf_status.h"
#include <math.h>

static float max_f(float a, float b) { return a > b ? a : b; }
static float min_f(float a, float b) { return a < b ? a : b; }

float mf_box_iou_plus1(const mf_box *a, const mf_box *b)
{
    float w = max_f(0.0f, min_f(a->x2, b->x2) - max_f(a->x1, b->x1) + 1.0f);
    float h = max_f(0.0f, min_f(a->y2, b->y2) - max_f(a->y1, b->y1) + 1.0f);
    float inter = w * h;
    float area_a = (a->x2 - a->x1 + 1.0f) * (a->y2 - a->y1 + 1.0f);
    float area_b = (b->x2 - b->x1 + 1.0f) * (b->y2 - b->y1 + 1.0f);
    float uni = area_a + area_b - inter;
    return uni > 0.0f ? inter / uni : 0.0f;
}

float mf_box_iou(const mf_box *a, const mf_box *b)
{
    float w = max_f(0.0f, min_f(a->x2, b->x2) - max_f(a->x1, b->x1));
    float h = max_f(0.0f, min_f(a->y2, b->y2) - max_f(a->y1, b->y1));
    float inter = w * h;
    float uni = (a->x2 - a->x1) * (a->y2 - a->y1) + (b->x2 - b->x1) * (b->y2 - b->y1) - inter;
    return uni > 0.0f ? inter / uni : 0.0f;
}

/* Min-heap on score, so that heapsort leaves the array in descending order. */
static void sift_down(mf_box *boxes, int root, int end)
{
    for (;;) {
        int child = 2 * root + 1;
        if (child >= end) return;
        if (child + 1 < end && boxes[child + 1].score < boxes[child].score) child++;
        if (!(boxes[child].score < boxes[root].score)) return;
        mf_box t = boxes[root];
        boxes[root] = boxes[child];
        boxes[child] = t;
        root = child;
    }
}

static void sort_by_score_desc(mf_box *boxes, int count)
{
    for (int i = count / 2 - 1; i >= 0; i--) sift_down(boxes, i, count);
    for (int end = count - 1; end > 0; end--) {
        mf_box t = boxes[0];
        boxes[0] = boxes[end];
        boxes[end] = t;
        sift_down(boxes, 0, end);
    }
}

int mf_nms(mf_box *boxes, int count, float iou_threshold)
{
    if (count < 0 || (count > 0 && !boxes) || isnan(iou_threshold)) return MF_EINVAL;
    for (int i = 0; i < count; i++) {
        const mf_box *b = &boxes[i];
        if (!isfinite(b->x1) || !isfinite(b->y1) || !isfinite(b->x2) || !isfinite(b->y2) || !isfinite(b->score))
            return MF_EINVAL;
    }
    sort_by_score_desc(boxes, count);
    /* A box survives iff no kept (higher-scored) box overlaps it too much:
     * the same set py_cpu_nms keeps. Survivors are compacted to the front;
     * kept <= i, so unvisited boxes are never overwritten. */
    int kept = 0;
    for (int i = 0; i < count; i++) {
        int keep = 1;
        for (int k = 0; k < kept && keep; k++)
            if (mf_box_iou_plus1(&boxes[k], &boxes[i]) > iou_threshold) keep = 0;
        if (keep) boxes[kept++] = boxes[i];
    }
    return kept;
}
