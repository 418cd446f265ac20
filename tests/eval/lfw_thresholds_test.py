"""bench/lfw_thresholds.py and `mcuface eval lfw --embeddings FILE`.

1. The all-pairs FAR / FRR report against a brute-force computation (every
   pair scored with int64 dot products of the store's int8 templates) on
   synthetic embeddings: FAR and FRR at thresholds, the threshold at a
   target FAR, and the store quantization itself against a scalar replica
   of mf_template_quantize (lrintf: round half to even).
2. With the shared data: `eval lfw --embeddings` on a 4-pair LFW writes one
   line per image whose values equal `mcuface embed --size 0` of that image
   (the same detector scale and recognizer).
Usage: lfw_thresholds_test.py BUILD_DIR SHARED_DIR. Part 2 skips without
the models or the data (part 1 always runs).
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += not ok


def load_report_module():
    spec = importlib.util.spec_from_file_location("lfw_thresholds", os.path.join(ROOT, "bench", "lfw_thresholds.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def brute_force(names, emb, lt):
    q = lt.store_quantize(emb).astype(np.int64)
    norms = np.sqrt((q * q).sum(axis=1).astype(np.float64))
    s = (q @ q.T) / np.outer(norms, norms)
    iu = np.triu_indices(len(names), 1)
    same = np.array(names)[iu[0]] == np.array(names)[iu[1]]
    return np.sort(s[iu][~same]), np.sort(s[iu][same])


def part_synthetic(lt, tmp):
    rng = np.random.default_rng(7)
    path = os.path.join(tmp, "syn.txt")
    with open(path, "w") as f:
        for p in range(250):
            centre = rng.normal(size=96)
            for i in range(1 + p % 4):
                e = centre + rng.normal(size=96) * 0.9
                f.write(f"P{p}/P{p}_{i:04d}.jpg " + " ".join(f"{v:.9g}" for v in e) + "\n")
    names, emb = lt.load(path)
    # store quantization = a scalar replica of mf_template_quantize
    u = (emb / np.linalg.norm(emb, axis=1, keepdims=True)).astype(np.float32)
    ok = True
    q = lt.store_quantize(emb)
    for r in range(0, len(u), 37):
        m = max(abs(float(v)) for v in u[r])
        s = np.float32(127.0) / np.float32(m)
        ref = [max(-127, min(127, int(round(float(np.float32(v) * s))))) for v in u[r]]  # round(): half to even
        ok &= ref == [int(v) for v in q[r]]
    check(ok, "store_quantize equals a scalar replica of mf_template_quantize")

    out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "lfw_thresholds.py"), path, "0.3", "0.45"],
                         capture_output=True, text=True)
    check(out.returncode == 0, f"lfw_thresholds.py runs ({out.stderr.strip()[-200:]})")
    impostor, genuine = brute_force(names, emb, lt)
    rows = {}
    for line in out.stdout.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0][:1].isdigit() and "(" in cells[1]:
            rows[cells[0]] = cells
    for t in (0.3, 0.45):
        far = (impostor >= t).sum()
        frr = (genuine < t).sum()
        cells = rows.get(f"{t:.4f}")
        got_far = int(cells[1].split("(")[1].rstrip(")").replace(",", "")) if cells else -1
        got_frr = int(cells[2].split("(")[1].rstrip(")").replace(",", "")) if cells else -1
        check(got_far == far and got_frr == frr,
              f"at {t}: impostor pairs accepted {got_far} (brute force {far}), genuine rejected {got_frr} ({frr})")
    # threshold at FAR 1e-3: at most that many impostor pairs at or above it, one more just below
    target_rows = [l for l in out.stdout.splitlines() if l.startswith("| 1e-03 |")]
    t = float(target_rows[0].split("|")[2]) if target_rows else 2.0
    k = int(np.floor(1e-3 * len(impostor)))
    check((impostor >= t).sum() <= k < (impostor >= t - 1e-4).sum(),
          f"threshold at FAR 1e-3: {t:.4f} admits {(impostor >= t).sum()} of the {k} allowed impostor pairs")


def part_cli(build, shared, tmp):
    exe = os.path.join(build, "mcuface")
    lfw_src = os.path.join(shared, "data", "lfw")
    if not (os.path.exists(os.path.join(build, "models", "retinaface_mnet025.mfm")) and
            os.path.exists(os.path.join(build, "models", "edgeface_xs_gamma_06.mfm")) and
            os.path.exists(os.path.join(lfw_src, "pairs.txt"))):
        print("skip part 2: models or LFW missing")
        return
    lfw = os.path.join(tmp, "lfw")
    os.makedirs(lfw)
    os.symlink(os.path.join(lfw_src, "lfw-deepfunneled"), os.path.join(lfw, "lfw-deepfunneled"))
    with open(os.path.join(lfw_src, "pairs.txt")) as f:
        rows = f.read().splitlines()
    with open(os.path.join(lfw, "pairs.txt"), "w") as f:
        f.write("1\t2\n" + "\n".join(rows[1:3] + rows[301:303]) + "\n")
    path = os.path.join(tmp, "emb.txt")
    out = subprocess.run([exe, "eval", "lfw", "--data", lfw, "--folds", "1", "--jobs", "1", "--json",
                          "--precision", "float32", "--embeddings", path], capture_output=True, text=True)
    check(out.returncode == 0 and os.path.exists(path), f"eval lfw --embeddings writes the file ({out.stderr.strip()})")
    if out.returncode:
        return
    lines = open(path).read().splitlines()
    images = json.loads(out.stdout)["images"]
    check(len(lines) == images, f"one line per image ({len(lines)} lines, {images} images)")
    for line in lines:
        t = line.split()
        values = np.array(t[1:], dtype=np.float64)
        img = os.path.join(lfw_src, "lfw-deepfunneled", t[0])
        e = subprocess.run([exe, "embed", img, "--size", "0", "--json", "--precision", "float32"],
                           capture_output=True, text=True)
        faces = json.loads(e.stdout)["faces"] if e.returncode == 0 else []
        if not faces:
            check(False, f"embed {t[0]} finds a face")
            continue
        # eval lfw takes the face nearest the centre of the 250x250 image
        face = min(faces, key=lambda f: ((f["box"][0] + f["box"][2]) / 2 - 125) ** 2 +
                   ((f["box"][1] + f["box"][3]) / 2 - 125) ** 2)
        ref = np.array(face["embedding"])
        diff = np.abs(values - ref).max()
        check(len(values) == 512 and diff <= 1e-6,
              f"{t[0]}: 512 values equal `embed --size 0` to 1e-6 (max diff {diff:.1e})")


def main():
    build, shared = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    lt = load_report_module()
    with tempfile.TemporaryDirectory() as tmp:
        part_synthetic(lt, tmp)
        part_cli(build, shared, tmp)
    print(f"{failures} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
