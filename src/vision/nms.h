/* Boxes, intersection over union and greedy non-maximum suppression. */
#ifndef MCUFACE_VISION_NMS_H
#define MCUFACE_VISION_NMS_H

typedef struct mf_box {
    float x1, y1, x2, y2; /* corners, x1 <= x2 and y1 <= y2 */
    float score;
} mf_box;

/* IoU with the pixel-inclusive convention of biubug6 RetinaFace's
 * py_cpu_nms (and the WIDER FACE evaluation): width = x2 - x1 + 1, overlap
 * width = max(0, min(x2) - max(x1) + 1), likewise for heights. */
float mf_box_iou_plus1(const mf_box *a, const mf_box *b);

/* Plain geometric IoU (width = x2 - x1, empty overlap = 0; 0 when both boxes
 * have zero area), for evaluation. */
float mf_box_iou(const mf_box *a, const mf_box *b);

/* Greedy NMS in place, as py_cpu_nms: sorts BOXES[0..COUNT) by score,
 * highest first (heapsort; the order of equal scores is deterministic but
 * unspecified, as with numpy's argsort), then keeps a box unless its
 * mf_box_iou_plus1 with an already kept box is > IOU_THRESHOLD. The kept
 * boxes end up in BOXES[0..return value) in score order; the rest of the
 * array is left in an unspecified order. No allocation, O(n log n + n k).
 * Returns the number kept (>= 0), or MF_EINVAL for NULL with COUNT > 0,
 * COUNT < 0, a non-finite score or coordinate, or a NaN threshold. */
int mf_nms(mf_box *boxes, int count, float iou_threshold);
#endif
