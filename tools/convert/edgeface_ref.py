"""Reference embeddings from the PyTorch oracles, for regenerating test fixtures.

  edgeface_ref.py --model xs_gamma_06|xs_q|xxs_q|mobilefacenet \
                  --aligned-npy IN.npy --out OUT.npy [--models-dir DIR]

IN: uint8 [N,112,112,3] RGB aligned faces. OUT: float32 [N,D] raw (not
L2-normalised) embeddings, D = 512 (EdgeFace) or 128 (MobileFaceNet).
Preprocessing is each model's own: EdgeFace (p - 127.5) / 127.5,
MobileFaceNet /255 then ImageNet mean/std.
"""
import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import edgenext  # noqa: E402
import mobilefacenet  # noqa: E402
from edgeface_weights import load_edgeface_q, load_edgeface_tflite  # noqa: E402

DEFAULT_MODELS_DIR = os.environ.get("MCUFACE_MODELS_SRC") or os.path.join(HERE, "..", "..", "..", "shared", "models")

# name -> (file under the models dir, builder(path) -> (model, preprocess))
MODELS = {
    "xs_gamma_06": ("edgeface/edgeface_xs_gamma_06_fp16.tflite",
                    lambda p: (edgenext.build_edgenext(edgenext.CONFIGS["xs_gamma_06"], load_edgeface_tflite(p)),
                               edgenext.preprocess)),
    "xs_q": ("edgeface/edgeface_xs_q.pt",
             lambda p: (edgenext.build_edgenext(edgenext.CONFIGS["xs"], load_edgeface_q(p)), edgenext.preprocess)),
    "xxs_q": ("edgeface/edgeface_xxs_q.pt",
              lambda p: (edgenext.build_edgenext(edgenext.CONFIGS["xxs"], load_edgeface_q(p)), edgenext.preprocess)),
    "mobilefacenet": ("mobilefacenet_foamliu/mobilefacenet.pt",
                      lambda p: (mobilefacenet.build_mobilefacenet(mobilefacenet.load_mobilefacenet(p)),
                                 mobilefacenet.preprocess)),
}


def load_model(name, models_dir=DEFAULT_MODELS_DIR):
    """(eval-mode torch model, preprocess function) for a model name."""
    rel, build = MODELS[name]
    return build(os.path.join(models_dir, rel))


def embed(model, preprocess, faces, batch=64):
    """uint8 [N,112,112,3] RGB -> float32 [N,D] raw embeddings."""
    out = []
    with torch.no_grad():
        for i in range(0, len(faces), batch):
            out.append(model(preprocess(np.ascontiguousarray(faces[i:i + batch]))).numpy())
    return np.concatenate(out).astype(np.float32) if out else np.zeros((0, 0), np.float32)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, choices=sorted(MODELS))
    ap.add_argument("--aligned-npy", required=True, help="uint8 [N,112,112,3] RGB")
    ap.add_argument("--out", required=True)
    ap.add_argument("--models-dir", default=DEFAULT_MODELS_DIR)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)

    faces = np.load(args.aligned_npy)
    if faces.dtype != np.uint8 or faces.ndim != 4 or faces.shape[1:] != (112, 112, 3):
        ap.error("%s: expected uint8 [N,112,112,3], got %s %s" % (args.aligned_npy, faces.dtype, faces.shape))
    torch.set_num_threads(args.threads)
    model, preprocess = load_model(args.model, args.models_dir)
    emb = embed(model, preprocess, faces)
    np.save(args.out, emb)
    print("%s: %d faces -> %s %s" % (args.model, len(faces), args.out, emb.shape))
    return 0


if __name__ == "__main__":
    sys.exit(main())
