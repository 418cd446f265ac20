"""Fixture test: the int8 liveness models (minifasnet_v2_int8, minifasnet_v1se_int8).

For the 4 antispoof samples and 16 nuaa_dev frames (8 live, 8 attack, spread
over labels.txt), build/face_liveness_dump runs the float and the int8 pair
on the largest detected face (the detector is the float one in both runs, so
the crops are the same). This script checks:
  1. bit for bit: each int8 model's C logits equal those of
     tools/fixtures/int8_reference.py (an independent numpy interpreter of
     the int8 arithmetic) on the same 80x80 crop, for the shipped .mfm file;
  2. closeness to float: the fused live score P(real) of the int8 pair is
     within 0.06 of the float pair's on average (nuaa_dev, 800 frames:
     0.025, docs/INT8.md) and the accept / reject decision at the default
     threshold 0.27 agrees on at least 90% of the faces.
Nothing derived from the data is kept. Exit 77 (skip) without models or data.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

MEAN_SCORE_DIFF = 0.06
AGREEMENT = 0.9
THRESHOLD = 0.27


def dump(exe, model_dir, list_path, suffix):
    args = [exe, model_dir, list_path] + ([suffix] if suffix else [])
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--dump", required=True)
    ap.add_argument("--shared", default=os.environ.get("MCUFACE_SHARED", ""))
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(args.source, "tools", "convert"))
    sys.path.insert(0, os.path.join(args.source, "tools", "fixtures"))
    shared = args.shared or os.path.join(args.source, "..", "shared")
    model_dir = os.path.join(args.build, "models")
    names = ("minifasnet_v2", "minifasnet_v1se")
    needed = [os.path.join(model_dir, n + ".mfm") for n in
              ("retinaface_mnet025",) + names + tuple(n + "_int8" for n in names)]
    samples = os.path.join(shared, "data", "antispoof_samples")
    nuaa = os.path.join(shared, "data", "nuaa_dev")
    needed += [samples, os.path.join(nuaa, "labels.txt")]
    missing = [p for p in needed if not os.path.exists(p)]
    if missing:
        print("skipped: missing " + ", ".join(missing) + " (run scripts/build.sh; data in ../shared/data)")
        return 77
    try:
        import torch  # noqa: F401  (int8_reference uses it for softmax)
        import mfm
        import int8_reference
    except ImportError as e:
        print(f"skipped: {e}")
        return 77

    images = [os.path.join(samples, n) for n in sorted(os.listdir(samples)) if n.endswith(".jpg")]
    rows = [l.split() for l in open(os.path.join(nuaa, "labels.txt")) if l.strip()]
    for label in ("live", "spoof"):
        chosen = [r[0] for r in rows if r[1] == label]
        images += [os.path.join(nuaa, p) for p in chosen[len(chosen) // 16::len(chosen) // 8][:8]]
    work = os.path.join(args.build, "fixtures", "liveness_int8")
    os.makedirs(work, exist_ok=True)
    list_path = os.path.join(work, "images.txt")
    with open(list_path, "w") as f:
        f.write("\n".join(images) + "\n")
    f32 = dump(args.dump, model_dir, list_path, "")
    s8 = dump(args.dump, model_dir, list_path, "_int8")
    assert len(f32) == len(s8) == len(images)
    graphs = [mfm.load(os.path.join(model_dir, n + "_int8.mfm")) for n in names]

    failures = exact = 0
    diffs, agree = [], 0
    for a, b in zip(f32, s8):
        name = os.path.relpath(b["path"], shared)
        if b["box"] is None:
            continue
        for m, (g, got) in enumerate(zip(graphs, b["models"])):
            if got["crop"] != a["models"][m]["crop"] or got["rgb"] != a["models"][m]["rgb"]:
                print(f"FAIL {name} model {m}: the float and int8 runs cropped differently")
                failures += 1
            rgb = np.frombuffer(bytes.fromhex(got["rgb"]), dtype=np.uint8).reshape(1, 80, 80, 3)
            want = int8_reference.run(g, rgb[:, :, :, ::-1].astype(np.float32))[0][0]
            if not np.array_equal(np.asarray(got["logits"], np.float32), want):
                print(f"FAIL {name} {names[m]}_int8: C logits {got['logits']} vs numpy int8 {want.tolist()}")
                failures += 1
            else:
                exact += 1
        diffs.append(abs(b["score"] - a["score"]))
        agree += (b["score"] >= THRESHOLD) == (a["score"] >= THRESHOLD)
    faces = len(diffs)
    if faces < len(images) - 2:
        print(f"FAIL: too few faces ({faces} of {len(images)})")
        failures += 1
    mean = float(np.mean(diffs)) if diffs else 1.0
    print(f"{faces} faces: {exact} of {2 * faces} int8 logit vectors equal the numpy int8 reference bit for bit; "
          f"|P(real) int8 - float| mean {mean:.4f}, max {max(diffs, default=1.0):.4f}; "
          f"decisions at {THRESHOLD} agree on {agree} of {faces}")
    if mean > MEAN_SCORE_DIFF:
        print(f"FAIL: mean score difference {mean:.4f} > {MEAN_SCORE_DIFF}")
        failures += 1
    if agree < AGREEMENT * faces:
        print(f"FAIL: decisions agree on {agree} of {faces} (< {AGREEMENT:.0%})")
        failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
