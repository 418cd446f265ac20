"""Evidence that the recognizer oracles are right (numbers for docs/models/EDGEFACE.md).

  verify_recognizers.py tflite [--faces K]   EdgeFace-XS-gamma-0.6: torch forward from the
                                             mapped TFLite weights vs the numpy interpreter
  verify_recognizers.py lfw [--pairs N] [--models ...]
                                             verification accuracy on the first N LFW pairs

Faces come from LFW deep-funneled images with a crude fixed crop (no detector):
the 250x250 image is cropped to a 124x124 box around the face and resized to
112x112, roughly where the ArcFace template puts eyes and mouth. Good enough for
a sanity check only; real accuracy needs landmark alignment.
Accuracy = best single threshold on cosine similarity over the evaluated pairs
(optimistic; a sanity check, not a benchmark).
"""
import argparse
import os
import sys

import cv2
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import edgenext  # noqa: E402
import tflite_interp  # noqa: E402
from edgeface_ref import DEFAULT_MODELS_DIR, MODELS, embed, load_model  # noqa: E402
from edgeface_weights import load_edgeface_tflite  # noqa: E402
from tflite_reader import read_tflite  # noqa: E402

DEFAULT_LFW = os.path.join(HERE, "..", "..", "..", "shared", "data", "lfw")
CROP_BOX = (63, 60, 124)  # x0, y0, side in the 250x250 deep-funneled image


def lfw_face(lfw_dir, name, number):
    path = os.path.join(lfw_dir, "lfw-deepfunneled", name, "%s_%04d.jpg" % (name, number))
    img = cv2.imread(path)
    if img is None:
        raise FileNotFoundError(path)
    x0, y0, side = CROP_BOX
    crop = img[y0:y0 + side, x0:x0 + side]
    return cv2.cvtColor(cv2.resize(crop, (112, 112), interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2RGB)


def lfw_pairs(lfw_dir, count):
    """First `count` pairs of pairs.txt as ((name, n), (name, n), same)."""
    with open(os.path.join(lfw_dir, "pairs.txt")) as f:
        lines = f.read().splitlines()[1:]
    pairs = []
    for line in lines[:count]:
        p = line.split("\t")
        if len(p) == 3:
            pairs.append(((p[0], int(p[1])), (p[0], int(p[2])), True))
        else:
            pairs.append(((p[0], int(p[1])), (p[2], int(p[3])), False))
    return pairs


def best_threshold_accuracy(scores, same):
    best = 0.0
    for t in np.unique(scores):
        best = max(best, float(((scores >= t) == same).mean()))
    return best


def cosine(a, b):
    return float(np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b))


def check_tflite(args):
    path = os.path.join(args.models_dir, MODELS["xs_gamma_06"][0])
    graph = read_tflite(path)
    report = {}
    net = edgenext.build_edgenext(edgenext.CONFIGS["xs_gamma_06"], load_edgeface_tflite(path, report=report))
    print("positional encoding refit: max abs error %.3g (constant max |v| %.3g)"
          % (report["pos_embd_fit_max_abs_err"], report["pos_embd_max_abs"]))
    faces = np.stack([lfw_face(args.lfw, *p[0]) for p in lfw_pairs(args.lfw, args.faces)])
    x = edgenext.preprocess(faces)
    with torch.no_grad():
        exact = net(x).numpy()
        net.set_approximate_gelu(True)
        tanh = net(x).numpy()
    worst_exact, worst_tanh = 1.0, 1.0
    for i in range(len(faces)):
        ref = tflite_interp.run(graph, [x[i:i + 1].permute(0, 2, 3, 1).numpy()])[0][0]
        worst_exact = min(worst_exact, cosine(exact[i], ref))
        worst_tanh = min(worst_tanh, cosine(tanh[i], ref))
    print("%d LFW faces: min cosine torch(exact GELU) vs interpreter %.6f, torch(tanh GELU) vs interpreter %.6f"
          % (len(faces), worst_exact, worst_tanh))
    return 0 if worst_exact >= 0.9999 else 1


def check_lfw(args):
    pairs = lfw_pairs(args.lfw, args.pairs)
    keys = sorted({p[0] for p in pairs} | {p[1] for p in pairs})
    index = {k: i for i, k in enumerate(keys)}
    faces = np.stack([lfw_face(args.lfw, *k) for k in keys])
    same = np.array([p[2] for p in pairs])
    torch.set_num_threads(2)
    for name in args.models:
        model, preprocess = load_model(name, args.models_dir)
        emb = embed(model, preprocess, faces)
        emb /= np.linalg.norm(emb, axis=1, keepdims=True)
        scores = np.array([emb[index[a]] @ emb[index[b]] for a, b, _ in pairs])
        print("%-14s LFW first %d pairs (%d same): accuracy %.2f%%  (mean cos same %.3f, different %.3f)"
              % (name, len(pairs), same.sum(), 100 * best_threshold_accuracy(scores, same),
                 scores[same].mean(), scores[~same].mean()))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["tflite", "lfw"])
    ap.add_argument("--models-dir", default=DEFAULT_MODELS_DIR)
    ap.add_argument("--lfw", default=DEFAULT_LFW)
    ap.add_argument("--faces", type=int, default=4)
    ap.add_argument("--pairs", type=int, default=600)
    ap.add_argument("--models", nargs="*", default=["xs_gamma_06", "xs_q", "xxs_q", "mobilefacenet"])
    args = ap.parse_args()
    return check_tflite(args) if args.what == "tflite" else check_lfw(args)


if __name__ == "__main__":
    sys.exit(main())
