"""WIDER FACE average precision, the official protocol (eval_tools / widerface_evaluate).

This file is the readable spec that the C evaluator implements. Steps:

1. Scores are min-max normalised over ALL predictions of the whole set
   (min starts at 1 and max at 0, as in norm_score). Predictions of an image are
   taken best score first.
2. Per image and subset (easy / medium / hard): a ground-truth box counts for the
   subset when its flags contain the subset letter; the others are "ignored".
   Each prediction, in score order, takes the ground-truth box of highest IoU
   (boxes as x1, y1, x2 = x + w, y2 = y + h; areas and intersections with +1).
   If that IoU >= 0.5:
     - ignored box: the box is marked ignored (-1; if an earlier prediction had
       recalled it, that recall is withdrawn) and the prediction is not counted
       as a proposal at all;
     - counted box not yet recalled: it becomes recalled.
   A second prediction on an already recalled box is a proposal without a new
   recall (so it lowers precision). recall_after[h] = recalled boxes after h.
3. For 1000 thresholds t = 1 - (k+1)/1000, k = 0..999: with r the last prediction
   (in score order) whose normalised score >= t, the image adds
   proposals = counted predictions among 0..r and recalled = recall_after[r].
   Images without predictions or without boxes add nothing, but their counted
   boxes still add to the number of faces.
4. precision_k = recalled / proposals, recall_k = recalled / faces (summed over
   images), then VOC AP: sentinels (0, 0) and (1, 0), precision envelope from the
   right, sum of recall steps times the envelope. A threshold with no proposal
   gets precision 0 here; the official code divides 0 by 0 (NaN), which needs
   every top-scoring prediction to land on an ignored face.

Usage:
  widerface_ap.py --gt wider_dev_bbx_gt.txt --pred predictions.jsonl
  predictions: JSON lines {"image": relpath, "faces": [{"box": [x1,y1,x2,y2], "score": s}, ...]}
"""
import argparse
import json
import sys

import numpy as np

SUBSETS = ("easy", "medium", "hard")
IOU_THRESHOLD = 0.5
THRESHOLDS = 1000


def read_ground_truth(path):
    """{relpath: (boxes [n,4] as x,y,w,h float, flags list of str)} in file order."""
    images = {}
    with open(path) as f:
        lines = [line.strip() for line in f if line.strip()]
    i = 0
    while i < len(lines):
        name, count = lines[i], int(lines[i + 1])
        rows = [lines[i + 2 + k].split() for k in range(count)]
        boxes = np.array([[float(v) for v in r[:4]] for r in rows], dtype=np.float64).reshape(-1, 4)
        images[name] = (boxes, [r[4] if len(r) > 4 else "-" for r in rows])
        i += 2 + count
    return images


def read_predictions(path):
    """JSON lines -> {relpath: [n,5] x1,y1,x2,y2,score}."""
    predictions = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                predictions[record["image"]] = faces_to_array(record["faces"])
    return predictions


def faces_to_array(faces):
    return np.array([list(face["box"]) + [face["score"]] for face in faces], dtype=np.float64).reshape(-1, 5)


def iou_plus_one(boxes, gt):
    """IoU matrix [len(boxes), len(gt)], both as x1,y1,x2,y2, +1 pixel areas (bbox.pyx)."""
    iw = np.minimum(boxes[:, None, 2], gt[None, :, 2]) - np.maximum(boxes[:, None, 0], gt[None, :, 0]) + 1
    ih = np.minimum(boxes[:, None, 3], gt[None, :, 3]) - np.maximum(boxes[:, None, 1], gt[None, :, 1]) + 1
    inter = np.where((iw > 0) & (ih > 0), iw * ih, 0.0)
    area_boxes = (boxes[:, 2] - boxes[:, 0] + 1) * (boxes[:, 3] - boxes[:, 1] + 1)
    area_gt = (gt[:, 2] - gt[:, 0] + 1) * (gt[:, 3] - gt[:, 1] + 1)
    union = area_boxes[:, None] + area_gt[None, :] - inter
    return np.where(inter > 0, inter / union, 0.0)


def match_image(pred, gt_xywh, counted):
    """Step 2 for one image. Returns (recall_after [n], is_proposal [n] bool)."""
    gt = gt_xywh.copy()
    gt[:, 2:] += gt[:, :2]
    overlaps = iou_plus_one(pred[:, :4], gt)
    state = np.zeros(len(gt))  # 0 not found, 1 recalled, -1 ignored
    recall_after = np.zeros(len(pred))
    is_proposal = np.ones(len(pred), dtype=bool)
    for h in range(len(pred)):
        best = int(np.argmax(overlaps[h]))
        if overlaps[h, best] >= IOU_THRESHOLD:
            if not counted[best]:
                state[best] = -1
                is_proposal[h] = False
            elif state[best] == 0:
                state[best] = 1
        recall_after[h] = np.count_nonzero(state == 1)
    return recall_after, is_proposal


def image_curve(normalised_scores, recall_after, is_proposal):
    """Step 3 for one image: [THRESHOLDS, 2] (proposals, recalled). Scores are sorted
    best first, so the predictions at or above a threshold are a prefix."""
    thresholds = 1 - (np.arange(THRESHOLDS) + 1) / THRESHOLDS
    above = np.count_nonzero(normalised_scores[None, :] >= thresholds[:, None], axis=1)
    proposals_upto = np.cumsum(is_proposal)
    curve = np.zeros((THRESHOLDS, 2))
    hit = above > 0
    curve[hit, 0] = proposals_upto[above[hit] - 1]
    curve[hit, 1] = recall_after[above[hit] - 1]
    return curve


def voc_ap(recall, precision):
    mrec = np.concatenate(([0.0], recall, [1.0]))
    mpre = np.concatenate(([0.0], precision, [0.0]))
    for i in range(mpre.size - 1, 0, -1):
        mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])
    steps = np.nonzero(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[steps + 1] - mrec[steps]) * mpre[steps + 1]))


def normalise_scores(predictions):
    """Step 1: sort each image's predictions by score and min-max normalise over the set."""
    sorted_preds = {name: p[np.argsort(-p[:, 4], kind="stable")] for name, p in predictions.items()}
    scores = [p[:, 4] for p in sorted_preds.values() if len(p)]
    low = min([1.0] + [float(s.min()) for s in scores])
    high = max([0.0] + [float(s.max()) for s in scores])
    for p in sorted_preds.values():
        p[:, 4] = (p[:, 4] - low) / (high - low)
    return sorted_preds


def evaluate(ground_truth, predictions):
    """{subset: AP} for ground truth from read_ground_truth and {relpath: [n,5]} predictions.
    Images missing from the predictions count as having none."""
    predictions = normalise_scores(predictions)
    aps = {}
    for subset in SUBSETS:
        letter = subset[0]
        curve = np.zeros((THRESHOLDS, 2))
        faces = 0
        for name, (boxes, flags) in ground_truth.items():
            counted = np.array([letter in f for f in flags], dtype=bool)
            faces += int(counted.sum())
            pred = predictions.get(name, np.zeros((0, 5)))
            if len(boxes) == 0 or len(pred) == 0:
                continue
            recall_after, is_proposal = match_image(pred, boxes, counted)
            curve += image_curve(pred[:, 4], recall_after, is_proposal)
        # No proposal at a threshold: precision 0 (the official code divides 0 by 0).
        precision = np.divide(curve[:, 1], curve[:, 0], out=np.zeros(THRESHOLDS), where=curve[:, 0] > 0)
        aps[subset] = voc_ap(curve[:, 1] / faces, precision)
    return aps


def format_aps(aps):
    return " ".join(f"{s} {100 * aps[s]:.2f}" for s in SUBSETS)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gt", required=True, help="wider_dev_bbx_gt.txt (path, count, x y w h flags)")
    parser.add_argument("--pred", required=True, help="JSON lines {image, faces:[{box, score}]}")
    args = parser.parse_args(argv)
    aps = evaluate(read_ground_truth(args.gt), read_predictions(args.pred))
    print(format_aps(aps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
