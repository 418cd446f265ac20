"""CLI test: `mcuface liveness IMAGE --json` on the antispoof samples at the
default threshold: image_F* (photos of a printed photo / screen) must come out
spoof, image_T* live; and `--threshold` must move the decision, not the score.
The liveness cascade (the default) against the rule written out here: V1SE
runs only when V2's P(real) is in [0.10, 0.70], and then the score is the
`--no-cascade` (fused) score; outside the band it is V2's alone.
Three samples carry an EXIF rotation, which mcuface's loader applies; each
sample is also checked as a PNG written by cv2.imread (which applies it too)
into the build tree at test time, so both loaders' upright images are seen.
Exit 77 (skip) without the models or the samples."""
import json
import os
import subprocess
import sys


def run(cli, *args):
    p = subprocess.run([cli, "liveness", *args, "--json", "--precision", "float32"], capture_output=True, text=True)
    if p.returncode:
        raise SystemExit(f"FAIL: mcuface liveness {' '.join(args)} exited {p.returncode}: {p.stderr.strip()}")
    return json.loads(p.stdout)


def main():
    build, shared = sys.argv[1], os.environ.get("MCUFACE_SHARED", "")
    cli = os.path.join(build, "mcuface")
    samples = os.path.join(shared, "data", "antispoof_samples")
    models = [os.path.join(build, "models", n + ".mfm") for n in ("retinaface_mnet025", "minifasnet_v2", "minifasnet_v1se")]
    missing = [p for p in models + [samples, cli] if not os.path.exists(p)]
    if missing:
        print("skipped: missing " + ", ".join(missing))
        return 77
    work = os.path.join(build, "fixtures", "liveness")
    os.makedirs(work, exist_ok=True)
    inputs = []
    for name in sorted(os.listdir(samples)):
        if name.endswith(".jpg"):
            inputs.append((name, os.path.join(samples, name)))
    try:
        import cv2
        for name, path in list(inputs):
            upright = os.path.join(work, "upright_" + name.replace(".jpg", ".png"))
            cv2.imwrite(upright, cv2.imread(path))
            inputs.append((name + " (upright)", upright))
    except ImportError:
        print("cv2 not available: upright copies not checked")
    failures = 0
    for name, path in inputs:
        out = run(cli, path)
        faces = out["faces"]
        want_live = name.startswith("image_T")
        if len(faces) != 1:
            print(f"FAIL {name}: {len(faces)} faces, expected 1")
            failures += 1
            continue
        f = faces[0]
        ok = f["live"] is want_live and (f["live_score"] >= out["threshold"]) == f["live"]
        print(f"{'ok  ' if ok else 'FAIL'} {name}: live_score {f['live_score']:.4f} -> {'live' if f['live'] else 'spoof'} "
              f"(expected {'live' if want_live else 'spoof'}, threshold {out['threshold']:.4f})")
        failures += not ok
        fused = run(cli, path, "--no-cascade")["faces"][0]
        v2, v1se = f["model_scores"]
        in_band = 0.10 <= v2 <= 0.70
        rule = (abs(fused["live_score"] - (fused["model_scores"][0] + fused["model_scores"][1]) / 2) <= 2e-6 and
                fused["model_scores"][0] == v2 and
                (f["live_score"] == fused["live_score"] if in_band else (v1se == 0 and f["live_score"] == v2)))
        print(f"{'ok  ' if rule else 'FAIL'} {name}: cascade V2 {v2:.4f} ({'both models' if in_band else 'V2 alone'}) "
              f"score {f['live_score']:.4f}, fused {fused['live_score']:.4f}")
        failures += not rule
        strict = run(cli, path, "--threshold", "1")
        if strict["faces"][0]["live_score"] != f["live_score"] or (strict["faces"][0]["live"] and f["live_score"] < 1):
            print(f"FAIL {name}: --threshold 1 changed the score or accepted the face")
            failures += 1
    bad = subprocess.run([cli, "liveness", os.path.join(samples, "image_T1.jpg"), "--threshold", "2"],
                         capture_output=True, text=True)
    if bad.returncode != 2 or "threshold" not in bad.stderr:
        print(f"FAIL: --threshold 2 should be a usage error, got {bad.returncode}: {bad.stderr.strip()}")
        failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
