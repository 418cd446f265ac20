"""C detector vs the PyTorch oracle on every photo of ../shared/data/multiface.

Both sides start from the same pixels: each JPEG is decoded once by
`mcuface decode` into a PNG (now libjpeg-turbo with cv2's settings, so
equal to cv2.imread; the PNG keeps the sides independent of any decoder),
which the oracle and the C detector then read. For each
photo and network size (long side 320, and the original scale) the oracle's
faces are stored as JSON under BUILD/fixtures/detect (regenerated
when missing or older than the oracle or the model), then `mcuface detect
--json` must report the same faces: boxes and landmarks within 0.5 px,
scores within 1e-4. Faces whose score sits within 1e-4 of the 0.5 cut may
appear on one side only. Usage: detect_vs_pytorch.py BUILD_DIR SHARED_DIR
"""
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "convert"))

SIZES = (320, 0)
THRESHOLD = 0.5
PIXEL_TOL, SCORE_TOL = 0.5, 1e-4


def oracle_faces(build, shared, image, size):
    name = os.path.splitext(os.path.basename(image))[0]
    out = os.path.join(build, "fixtures", "detect", f"{name}_{size}.json")
    weights = os.path.join(shared, "models", "retinaface_mnet025", "mobilenet0.25_Final.pth")
    oracle_src = os.path.join(HERE, "..", "..", "tools", "convert", "retinaface.py")
    newest_input = max(os.path.getmtime(p) for p in (oracle_src, weights, image))
    if not os.path.exists(out) or os.path.getmtime(out) < newest_input:
        import retinaface
        if not hasattr(oracle_faces, "detector"):
            oracle_faces.detector = retinaface.Detector(weights)
        faces = oracle_faces.detector.detect(retinaface.read_rgb(image), size, score_threshold=THRESHOLD)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w") as f:
            json.dump({"image": os.path.basename(image), "size": size, "faces": faces}, f)
    with open(out) as f:
        return json.load(f)["faces"]


def iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def compare(want, got):
    """Returns (matched, worst pixel diff, worst score diff, problems)."""
    problems, worst_px, worst_score, matched = [], 0.0, 0.0, 0
    used = set()
    for w in want:
        best = max(range(len(got)), key=lambda i: iou(w["box"], got[i]["box"]) if i not in used else -1, default=None)
        if best is None or best in used or iou(w["box"], got[best]["box"]) < 0.5:
            if abs(w["score"] - THRESHOLD) > SCORE_TOL:
                problems.append(f"missing face {w['box']} score {w['score']:.5f}")
            continue
        used.add(best)
        g = got[best]
        matched += 1
        px = max(max(abs(a - b) for a, b in zip(w["box"], g["box"])),
                 max(abs(a - b) for p, q in zip(w["landmarks"], g["landmarks"]) for a, b in zip(p, q)))
        sd = abs(w["score"] - g["score"])
        worst_px, worst_score = max(worst_px, px), max(worst_score, sd)
        if px > PIXEL_TOL or sd > SCORE_TOL:
            problems.append(f"face {w['box']}: pixel diff {px:.3f}, score diff {sd:.2e}")
    for i, g in enumerate(got):
        if i not in used and abs(g["score"] - THRESHOLD) > SCORE_TOL:
            problems.append(f"extra face {g['box']} score {g['score']:.5f}")
    return matched, worst_px, worst_score, problems


def main():
    build, shared = sys.argv[1], sys.argv[2]
    images = sorted(glob.glob(os.path.join(shared, "data", "multiface", "*.jpg")))
    if not images:
        print("SKIP: no photos in", os.path.join(shared, "data", "multiface"))
        return 77
    try:
        import torch  # noqa: F401
    except ImportError:
        print("SKIP: python3-torch is not installed")
        return 77
    env = dict(os.environ, MCUFACE_MODEL_DIR=os.path.join(build, "models"))
    failures = total_faces = 0
    worst_px = worst_score = 0.0
    pixels = {}
    for image in images:
        png = os.path.join(build, "fixtures", "detect", os.path.splitext(os.path.basename(image))[0] + ".png")
        os.makedirs(os.path.dirname(png), exist_ok=True)
        subprocess.run([os.path.join(build, "mcuface"), "decode", image, png], check=True)
        pixels[image] = png
    for size in SIZES:
        for image in images:
            want = oracle_faces(build, shared, pixels[image], size)
            run = subprocess.run([os.path.join(build, "mcuface"), "detect", pixels[image], "--size", str(size), "--json",
                                  "--precision", "float32"],
                                 capture_output=True, text=True, env=env)
            if run.returncode != 0:
                print(f"FAIL {image} size {size}: exit {run.returncode}: {run.stderr.strip()}")
                failures += 1
                continue
            got = json.loads(run.stdout)["faces"]
            matched, px, sd, problems = compare(want, got)
            total_faces += matched
            worst_px, worst_score = max(worst_px, px), max(worst_score, sd)
            status = "FAIL" if problems else "ok  "
            print(f"{status} {os.path.basename(image)} size {size}: {matched} faces, max pixel diff {px:.4f}, "
                  f"max score diff {sd:.2e}")
            for p in problems:
                print("     ", p)
            failures += bool(problems)
    print(f"{total_faces} faces compared over {len(images)} photos x {len(SIZES)} sizes: "
          f"max pixel diff {worst_px:.4f} (tol {PIXEL_TOL}), max score diff {worst_score:.2e} (tol {SCORE_TOL})")
    print(f"{len(images) * len(SIZES) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
