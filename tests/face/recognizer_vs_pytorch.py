"""C recognizers vs their PyTorch oracles on 100 aligned LFW faces.

The faces are aligned once by the C pipeline (`mcuface align`, original
scale) into BUILD/fixtures/recognize/*.png; the oracle embeddings of each
recognizer are stored beside them as .npy (regenerated when missing or
older than the oracle code or the weights); `mcuface embed --aligned` must
agree with every one at cosine >= 0.9999.
Usage: recognizer_vs_pytorch.py BUILD_DIR SHARED_DIR [--faces N]
"""
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CONVERT = os.path.join(HERE, "..", "..", "tools", "convert")
sys.path.insert(0, CONVERT)
MIN_COSINE = 0.9999

# name -> (oracle config, weights file, loader)
RECOGNIZERS = {
    "edgeface_xs_gamma_06": ("xs_gamma_06", "edgeface/edgeface_xs_gamma_06_fp16.tflite", "tflite"),
    "edgeface_xs_q": ("xs", "edgeface/edgeface_xs_q.pt", "q"),
    "edgeface_xxs_q": ("xxs", "edgeface/edgeface_xxs_q.pt", "q"),
    "mobilefacenet": (None, "mobilefacenet_foamliu/mobilefacenet.pt", "mobilefacenet"),
}


def lfw_images(shared, count):
    """The first COUNT distinct images named in pairs.txt."""
    names, seen = [], set()
    with open(os.path.join(shared, "data", "lfw", "pairs.txt")) as f:
        next(f)
        for line in f:
            parts = line.split()
            refs = [(parts[0], parts[1]), (parts[0], parts[2])] if len(parts) == 3 else [(parts[0], parts[1]), (parts[2], parts[3])]
            for name, index in refs:
                rel = f"{name}/{name}_{int(index):04d}.jpg"
                if rel not in seen:
                    seen.add(rel)
                    names.append(rel)
                if len(names) == count:
                    return names
    return names


def oracle_embeddings(name, faces_u8, shared):
    import torch
    cfg, weights, loader = RECOGNIZERS[name]
    path = os.path.join(shared, "models", weights)
    with torch.no_grad():
        if loader == "mobilefacenet":
            import mobilefacenet
            model = mobilefacenet.build_mobilefacenet(mobilefacenet.load_mobilefacenet(path))
            return model(mobilefacenet.preprocess(faces_u8)).numpy()
        import edgenext
        import edgeface_weights
        params = edgeface_weights.load_edgeface_tflite(path) if loader == "tflite" else edgeface_weights.load_edgeface_q(path)
        model = edgenext.build_edgenext(edgenext.CONFIGS[cfg], params)
        return model(edgenext.preprocess(faces_u8)).numpy()


def main():
    build, shared = sys.argv[1], sys.argv[2]
    count = int(sys.argv[sys.argv.index("--faces") + 1]) if "--faces" in sys.argv else 100
    if not os.path.exists(os.path.join(shared, "data", "lfw", "pairs.txt")):
        print("SKIP: no LFW in", shared)
        return 77
    try:
        import cv2
        import torch  # noqa: F401
    except ImportError:
        print("SKIP: python3-torch / python3-opencv are not installed")
        return 77
    env = dict(os.environ, MCUFACE_MODEL_DIR=os.path.join(build, "models"))
    mcuface = os.path.join(build, "mcuface")
    out_dir = os.path.join(build, "fixtures", "recognize")
    os.makedirs(out_dir, exist_ok=True)
    pngs = []
    for rel in lfw_images(shared, count):
        png = os.path.join(out_dir, rel.replace("/", "__").replace(".jpg", ".png"))
        if not os.path.exists(png):
            src = os.path.join(shared, "data", "lfw", "lfw-deepfunneled", rel)
            r = subprocess.run([mcuface, "align", src, png, "--size", "0", "--precision", "float32"], capture_output=True, text=True, env=env)
            if r.returncode != 0:
                print(f"  {rel}: no face ({r.stderr.strip()}); skipped")
                continue
        pngs.append(png)
    faces = np.stack([cv2.imread(p)[:, :, ::-1] for p in pngs]).copy()
    failures = 0
    for name, (_, weights, _) in RECOGNIZERS.items():
        fixture = os.path.join(out_dir, f"{name}_oracle.npy")
        sources = [os.path.join(shared, "models", weights)] + [os.path.join(CONVERT, f) for f in
                                                                ("edgenext.py", "edgeface_weights.py", "mobilefacenet.py")]
        if not os.path.exists(fixture) or os.path.getmtime(fixture) < max(os.path.getmtime(s) for s in sources) \
                or np.load(fixture).shape[0] != len(pngs):
            np.save(fixture, oracle_embeddings(name, faces, shared))
        want = np.load(fixture)
        r = subprocess.run([mcuface, "embed", "--aligned", "--recognizer", name, "--precision", "float32"] + pngs, capture_output=True,
                           text=True, env=env)
        if r.returncode != 0:
            print(f"FAIL {name}: exit {r.returncode}: {r.stderr.strip()}")
            failures += 1
            continue
        got = np.array([json.loads(line)["embedding"] for line in r.stdout.splitlines()], dtype=np.float64)
        want = want / np.linalg.norm(want, axis=1, keepdims=True)
        cos = np.sum(got * want, axis=1) / np.linalg.norm(got, axis=1)
        ok = got.shape == want.shape and cos.min() >= MIN_COSINE
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {len(cos)} faces, min cosine {cos.min():.7f} (>= {MIN_COSINE})")
    print(f"{len(RECOGNIZERS) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
