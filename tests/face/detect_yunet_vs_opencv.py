"""C YuNet detector (float32) vs OpenCV's cv2.dnn on every photo of ../shared/data/multiface.

The reference is independent of the converter: cv2.dnn runs the original
ONNX file (face_detection_yunet_2023mar.onnx, opset 11), and the decoding is
done here in numpy as OpenCV's FaceDetectorYN does for the 2023mar outputs
(score = sqrt(clip(cls) * clip(obj)); cx = (col + bbox0) * stride, w =
exp(bbox2) * stride, landmarks (col + kps) * stride), followed by the +1-pixel
greedy NMS the C detector uses (as py_cpu_nms). Both sides start from the same
pixels: each JPEG is decoded once by `mcuface decode` into a PNG. The network
input follows the C convention: long side scaled to SIZE (round half up),
cv2.resize INTER_LINEAR on the float BGR image, zero-padded bottom / right to
multiples of 32 (as FaceDetectorYN pads).

Tolerance: boxes and landmarks within 1e-3 px, scores within 2e-5 (the two
float32 networks sum in different orders; a score near 0.5 from a cls below 1
moves by up to 1.1e-5, measured); a face whose score is within the score
tolerance of the threshold may appear on one side only.
Usage: detect_yunet_vs_opencv.py BUILD_DIR SHARED_DIR DETECT_DUMP
"""
import glob
import json
import os
import subprocess
import sys

SIZES = (320, 640, 0)
SCORE_THRESHOLD, NMS_THRESHOLD, TOP_K = 0.5, 0.3, 5000
STRIDES = (8, 16, 32)
PIXEL_TOL, SCORE_TOL = 1e-3, 2e-5  # measured worst: 3.7e-4 px, 1.1e-5 (25.jpg at 640)


def network_size(width, height, long_side):
    if long_side <= 0:
        return width, height
    longest = max(width, height)
    scaled = lambda n: max(1, (2 * n * long_side + longest) // (2 * longest))  # noqa: E731
    return scaled(width), scaled(height)


def nms_plus1(boxes, scores, threshold):
    import numpy as np
    x1, y1, x2, y2 = boxes.T
    areas = (x2 - x1 + 1) * (y2 - y1 + 1)
    order = np.arange(len(scores))  # already sorted by score (ties by cell index)
    keep = []
    while order.size:
        i = order[0]
        keep.append(i)
        rest = order[1:]
        w = np.maximum(np.float32(0), np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]) + 1)
        h = np.maximum(np.float32(0), np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]) + 1)
        inter = w * h
        order = rest[inter / (areas[i] + areas[rest] - inter) <= threshold]
    return keep


def network_input(png, size):
    """(padded float32 BGR HxWx3 network input, image (w, h), resized (w, h))."""
    import cv2
    import numpy as np
    bgr = cv2.imread(png, cv2.IMREAD_COLOR).astype(np.float32)
    height, width = bgr.shape[:2]
    nw, nh = network_size(width, height, size)
    if (nw, nh) != (width, height):
        bgr = cv2.resize(bgr, (nw, nh), interpolation=cv2.INTER_LINEAR)
    pw, ph = -(-nw // 32) * 32, -(-nh // 32) * 32
    padded = np.zeros((ph, pw, 3), np.float32)
    padded[:nh, :nw] = bgr
    return padded, (width, height), (nw, nh)


def reference_faces(net, png, size):
    import cv2
    padded, (width, height), (nw, nh) = network_input(png, size)
    net.setInput(cv2.dnn.blobFromImage(padded))
    names = [f"{h}_{s}" for h in ("cls", "obj", "bbox", "kps") for s in STRIDES]
    out = dict(zip(names, net.forward(names)))
    return decode_faces(out, (width, height), (nw, nh)), (nw, nh)


def split_levels(heads, net_size):
    """The C model's concatenated outputs (cls, obj, bbox, kps: [N, k] each) as
    cv2.dnn's per-level dict {"cls_8": [1, n, 1], ...}."""
    pw, ph = (-(-n // 32) * 32 for n in net_size)
    out, start = {}, 0
    for s in STRIDES:
        n = (ph // s) * (pw // s)
        for name, h in zip(("cls", "obj", "bbox", "kps"), heads):
            out[f"{name}_{s}"] = h[None, start:start + n]
        start += n
    return out


def decode_faces(out, image_size, net_size):
    """FaceDetectorYN's decode of per-level outputs, then +1-pixel NMS, in
    original-image pixels (float32 throughout, as the C code)."""
    import numpy as np
    (width, height), (nw, nh) = image_size, net_size
    pw, ph = -(-nw // 32) * 32, -(-nh // 32) * 32
    f32 = np.float32
    rows = []
    for s in STRIDES:
        cols = pw // s
        n = (ph // s) * cols
        cell = np.arange(n)
        r, c = (cell // cols).astype(f32), (cell % cols).astype(f32)
        score = np.sqrt(np.clip(out[f"cls_{s}"][0, :, 0], 0, 1) * np.clip(out[f"obj_{s}"][0, :, 0], 0, 1))
        b, k = out[f"bbox_{s}"][0], out[f"kps_{s}"][0]
        st = f32(s)
        cx, cy = (c + b[:, 0]) * st, (r + b[:, 1]) * st
        w, h = np.exp(b[:, 2]) * st, np.exp(b[:, 3]) * st
        x1, y1 = cx - w / f32(2), cy - h / f32(2)
        kx = (c[:, None] + k[:, 0::2]) * st
        ky = (r[:, None] + k[:, 1::2]) * st
        rows.append((score, np.stack([x1, y1, x1 + w, y1 + h], 1), kx, ky))
    score = np.concatenate([x[0] for x in rows])
    boxes = np.concatenate([x[1] for x in rows])
    kx, ky = np.concatenate([x[2] for x in rows]), np.concatenate([x[3] for x in rows])
    sx, sy = f32(f32(width) / f32(nw)), f32(f32(height) / f32(nh))
    boxes = boxes * np.array([sx, sy, sx, sy], f32)
    kx, ky = kx * sx, ky * sy
    cand = np.nonzero(score > f32(SCORE_THRESHOLD))[0]
    cand = cand[np.argsort(-score[cand], kind="stable")][:TOP_K]
    keep = nms_plus1(boxes[cand], score[cand], f32(NMS_THRESHOLD))
    faces = []
    for i in cand[keep]:
        faces.append({"box": [float(v) for v in boxes[i]], "score": float(score[i]),
                      "landmarks": [[float(kx[i, j]), float(ky[i, j])] for j in range(5)]})
    return faces


def iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def compare(want, got):
    """Returns (matched, worst pixel diff, worst score diff, problems)."""
    problems, worst_px, worst_score, matched, used = [], 0.0, 0.0, 0, set()
    for w in want:
        best = max((i for i in range(len(got)) if i not in used), key=lambda i: iou(w["box"], got[i]["box"]),
                   default=None)
        if best is None or iou(w["box"], got[best]["box"]) < 0.5:
            if abs(w["score"] - SCORE_THRESHOLD) > SCORE_TOL:
                problems.append(f"missing face {w['box']} score {w['score']:.6f}")
            continue
        used.add(best)
        g = got[best]
        matched += 1
        px = max(max(abs(a - b) for a, b in zip(w["box"], g["box"])),
                 max(abs(a - b) for p, q in zip(w["landmarks"], g["landmarks"]) for a, b in zip(p, q)))
        sd = abs(w["score"] - g["score"])
        worst_px, worst_score = max(worst_px, px), max(worst_score, sd)
        if px > PIXEL_TOL or sd > SCORE_TOL:
            problems.append(f"face {w['box']}: pixel diff {px:.2e}, score diff {sd:.2e}")
    for i, g in enumerate(got):
        if i not in used and abs(g["score"] - SCORE_THRESHOLD) > SCORE_TOL:
            problems.append(f"extra face {g['box']} score {g['score']:.6f}")
    return matched, worst_px, worst_score, problems


def main():
    build, shared, dump = sys.argv[1], sys.argv[2], sys.argv[3]
    images = sorted(glob.glob(os.path.join(shared, "data", "multiface", "*.jpg")))
    onnx = os.path.join(shared, "models", "yunet", "face_detection_yunet_2023mar.onnx")
    model = os.path.join(build, "models", "yunet.mfm")
    for path, what in ((onnx, "the YuNet ONNX file"), (model, "build/models/yunet.mfm")):
        if not os.path.exists(path):
            print(f"SKIP: {what} is missing ({path})")
            return 77
    if not images:
        print("SKIP: no photos in", os.path.join(shared, "data", "multiface"))
        return 77
    try:
        import cv2
        import numpy  # noqa: F401
    except ImportError:
        print("SKIP: python3-opencv / numpy not installed")
        return 77
    net = cv2.dnn.readNet(onnx)
    failures = total = 0
    worst_px = worst_score = 0.0
    out_dir = os.path.join(build, "fixtures", "detect_yunet")
    os.makedirs(out_dir, exist_ok=True)
    for image in images:
        png = os.path.join(out_dir, os.path.splitext(os.path.basename(image))[0] + ".png")
        subprocess.run([os.path.join(build, "mcuface"), "decode", image, png], check=True)
        for size in SIZES:
            want, net_size = reference_faces(net, png, size)
            run = subprocess.run([dump, model, png, str(size), repr(SCORE_THRESHOLD), repr(NMS_THRESHOLD)],
                                 capture_output=True, text=True)
            if run.returncode != 0:
                print(f"FAIL {image} size {size}: exit {run.returncode}: {run.stderr.strip()}")
                failures += 1
                continue
            result = json.loads(run.stdout)
            problems = [] if tuple(result["net"]) == net_size else [f"network size {result['net']} != {net_size}"]
            matched, px, sd, more = compare(want, result["faces"])
            problems += more
            if not want:
                problems.append("the reference found no face: nothing compared")
            total += matched
            worst_px, worst_score = max(worst_px, px), max(worst_score, sd)
            print(f"{'FAIL' if problems else 'ok  '} {os.path.basename(image)} size {size} net {net_size[0]}x"
                  f"{net_size[1]}: {matched} faces, max pixel diff {px:.2e}, max score diff {sd:.2e}")
            for p in problems:
                print("     ", p)
            failures += bool(problems)
    print(f"{total} faces compared over {len(images)} photos x {len(SIZES)} sizes: max pixel diff {worst_px:.2e} "
          f"(tol {PIXEL_TOL}), max score diff {worst_score:.2e} (tol {SCORE_TOL})")
    print(f"{len(images) * len(SIZES) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
