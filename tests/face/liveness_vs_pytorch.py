"""Fixture test: the C liveness path against the PyTorch oracle of the same checkpoints.

For the 4 antispoof samples and 50 nuaa_dev frames (25 live, 25 attack, spread
over labels.txt), build/face_liveness_dump detects the largest face and prints
its box, each model's crop rectangle, the 80x80 crop it fed the model and the
logits. This script then checks, per frame and model:
  1. the crop rectangle equals Silent-Face's _get_new_box on the same box
     (tools/convert/minifasnet.py, an independent Python version);
  2. the C logits equal minifasnet.py's forward of the official .pth on the
     same crop (BGR float 0..255) within 1e-4, and so do the fused scores;
  3. informative: the crop against cv2.imread + cv2.resize on the same
     rectangle (both decode JPEGs with libjpeg-turbo and the same settings;
     EXIF orientation is applied on both sides, as mcuface's loader does), and the score of that
     all-OpenCV pipeline.
Everything is computed now, in the build tree; nothing derived from the data
is kept in the repository. Exit 77 (skip) without models or data.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

ATOL = 1e-4


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--dump", required=True)
    ap.add_argument("--shared", default=os.environ.get("MCUFACE_SHARED", ""))
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(args.source, "tools", "convert"))
    import minifasnet

    shared = args.shared or os.path.join(args.source, "..", "shared")
    model_dir = os.path.join(args.build, "models")
    pth_dir = os.path.join(shared, "models", "minifasnet")
    samples = os.path.join(shared, "data", "antispoof_samples")
    nuaa = os.path.join(shared, "data", "nuaa_dev")
    needed = [os.path.join(model_dir, n + ".mfm") for n in ("retinaface_mnet025", "minifasnet_v2", "minifasnet_v1se")]
    needed += [os.path.join(pth_dir, "2.7_80x80_MiniFASNetV2.pth"), os.path.join(pth_dir, "4_0_0_80x80_MiniFASNetV1SE.pth"),
               samples, os.path.join(nuaa, "labels.txt")]
    missing = [p for p in needed if not os.path.exists(p)]
    if missing:
        print("skipped: missing " + ", ".join(missing) + " (run scripts/build.sh; data in ../shared/data)")
        return 77
    try:
        import cv2
        import torch  # noqa: F401
    except ImportError as e:
        print(f"skipped: {e}")
        return 77

    images = [os.path.join(samples, n) for n in sorted(os.listdir(samples)) if n.endswith(".jpg")]
    rows = [l.split() for l in open(os.path.join(nuaa, "labels.txt")) if l.strip()]
    for label in ("live", "spoof"):
        chosen = [r[0] for r in rows if r[1] == label]
        step = max(1, len(chosen) // 25)
        images += [os.path.join(nuaa, p) for p in chosen[::step][:25]]
    work = os.path.join(args.build, "fixtures", "liveness")
    os.makedirs(work, exist_ok=True)
    list_path = os.path.join(work, "images.txt")
    with open(list_path, "w") as f:
        f.write("\n".join(images) + "\n")
    out = subprocess.run([args.dump, model_dir, list_path], check=True, capture_output=True, text=True).stdout
    records = [json.loads(l) for l in out.splitlines() if l.strip()]
    assert len(records) == len(images), f"{len(records)} records for {len(images)} images"

    models = [minifasnet.load(os.path.join(pth_dir, "2.7_80x80_MiniFASNetV2.pth")),
              minifasnet.load(os.path.join(pth_dir, "4_0_0_80x80_MiniFASNetV1SE.pth"))]
    scales = [2.7, 4.0]
    failures = 0
    worst_logit = worst_score = worst_cv_score = 0.0
    pixel_means = []
    checked = 0
    no_face = []
    for rec in records:
        name = os.path.relpath(rec["path"], shared)
        if rec["box"] is None:
            no_face.append(name)
            continue
        # mcuface's loader applies the EXIF orientation, as cv2.imread does by default
        bgr = cv2.imread(rec["path"], cv2.IMREAD_COLOR)
        h, w = bgr.shape[:2]
        assert (w, h) == (rec["width"], rec["height"]), name
        bbox = minifasnet.face_box_to_bbox(*rec["box"])
        probs = []
        cv_probs = []
        for m, (model, scale, got) in enumerate(zip(models, scales, rec["models"])):
            assert got["scale"] == scale, (name, got["scale"])
            l, t, r, b = minifasnet.get_new_box(w, h, bbox, scale)
            want_crop = [l, t, r - l + 1, b - t + 1]
            if got["crop"] != want_crop:
                print(f"FAIL {name} model {m}: crop {got['crop']}, Silent-Face rule gives {want_crop}")
                failures += 1
            rgb = np.frombuffer(bytes.fromhex(got["rgb"]), dtype=np.uint8).reshape(80, 80, 3)
            ref = minifasnet.logits(model, rgb[None, :, :, ::-1])[0]
            diff = float(np.abs(ref - np.array(got["logits"])).max())
            worst_logit = max(worst_logit, diff)
            if diff > ATOL:
                print(f"FAIL {name} model {m}: logits {got['logits']} vs PyTorch {ref.tolist()} (max |diff| {diff:.2e})")
                failures += 1
            e = np.exp(ref.astype(np.float64) - ref.max())
            probs.append(e[1] / e.sum())
            cv_crop = cv2.resize(bgr[t:b + 1, l:r + 1], (80, 80))
            pixel_means.append(float(np.abs(cv_crop.astype(int) - rgb[:, :, ::-1].astype(int)).mean()))
            cv_ref = minifasnet.logits(model, cv_crop[None])[0]
            e = np.exp(cv_ref.astype(np.float64) - cv_ref.max())
            cv_probs.append(e[1] / e.sum())
        score = float(np.mean(probs))
        worst_score = max(worst_score, abs(score - rec["score"]))
        worst_cv_score = max(worst_cv_score, abs(float(np.mean(cv_probs)) - rec["score"]))
        if abs(score - rec["score"]) > ATOL:
            print(f"FAIL {name}: fused score {rec['score']} vs PyTorch {score}")
            failures += 1
        checked += 1
    print(f"{checked} faces x 2 models: max |logit diff| {worst_logit:.2e}, max |score diff| {worst_score:.2e} (tolerance {ATOL:g})")
    if not failures:
        print("crop rectangles: all equal to the Silent-Face rule")
    if pixel_means:
        print(f"informative: crops vs cv2.imread + cv2.resize: mean |diff| per crop {np.mean(pixel_means):.3f} "
              f"(worst {max(pixel_means):.3f}) grey levels; all-OpenCV pipeline score differs by <= {worst_cv_score:.4f}")
    if no_face:
        print(f"no face found in {len(no_face)} frames: {', '.join(no_face)}")
    if checked < len(records) - 2:
        print(f"FAIL: too few faces found ({checked} of {len(records)})")
        failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
