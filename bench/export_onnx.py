"""Exports the benchmark models to ONNX from the PyTorch oracles, with the same
upstream weights the converter turns into .mfm files (sha256-checked against
models/manifest.json), for bench/speed_vs_onnxruntime.sh.

  retinaface_mnet025.onnx     RetinaFace-MobileNet0.25, input [1,3,240,320] (NCHW), outputs
                              loc, conf (softmax), landms: the graph of retinaface_mnet025.mfm
  edgeface_xs_gamma_06.onnx   EdgeFace-XS-gamma-0.6, input [1,3,112,112], output the raw
                              512-d embedding: the graph of edgeface_xs_gamma_06.mfm

Beside each NAME.onnx it writes NAME.input.bin (a deterministic float32 input, NCHW) and
NAME.expected.bin (the PyTorch forward on it, outputs concatenated, float32) so that the ORT
side can check it computes the same function before timing it.

usage: /usr/bin/python3 bench/export_onnx.py --out build/bench [--src ../shared/models]
"""
import argparse
import hashlib
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tools", "convert"))

import retinaface  # noqa: E402
from edgenext import CONFIGS, build_edgenext  # noqa: E402
from edgeface_weights import load_edgeface_tflite  # noqa: E402

OPSET = 13


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def source(src_dir, name):
    """Path of the manifest entry NAME's upstream file, checked by sha256."""
    with open(os.path.join(ROOT, "models", "manifest.json")) as f:
        entry = next(e for e in json.load(f)["models"] if e["name"] == name)
    path = os.path.join(src_dir, entry["source"])
    if not os.path.exists(path):
        sys.exit("export_onnx: %s not found (fetch it from %s)" % (path, entry["url"]))
    if sha256(path) != entry["sha256"]:
        sys.exit("export_onnx: sha256 of %s differs from models/manifest.json: refusing" % path)
    return path


def deterministic_input(shape):
    """float32 values in [-1, 1) from a fixed seed (the values do not change the cost)."""
    return np.random.default_rng(12345).uniform(-1.0, 1.0, size=shape).astype(np.float32)


def export(model, shape, names_out, out_dir, name):
    path = os.path.join(out_dir, name + ".onnx")
    x = torch.from_numpy(deterministic_input(shape))
    with torch.no_grad():
        outputs = model(x)
        if isinstance(outputs, torch.Tensor):
            outputs = (outputs,)
        torch.onnx.export(model, x, path, input_names=["input"], output_names=names_out,
                          opset_version=OPSET, do_constant_folding=True)
    x.numpy().tofile(os.path.join(out_dir, name + ".input.bin"))
    np.concatenate([o.numpy().reshape(-1) for o in outputs]).astype(np.float32).tofile(
        os.path.join(out_dir, name + ".expected.bin"))
    import onnx
    onnx.checker.check_model(onnx.load(path))
    print("%s: wrote %s (%d bytes), input %s" % (name, path, os.path.getsize(path), list(shape)))


def main():
    default_src = os.environ.get("MCUFACE_MODELS_SRC") or os.path.join(ROOT, "..", "shared", "models")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench"))
    ap.add_argument("--src", default=default_src)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)

    det = retinaface.build_model(retinaface.load_weights(source(args.src, "retinaface_mnet025")))
    export(det, (1, 3, 240, 320), ["loc", "conf", "landms"], args.out, "retinaface_mnet025")

    params = load_edgeface_tflite(source(args.src, "edgeface_xs_gamma_06"), model="xs_gamma_06")
    rec = build_edgenext(CONFIGS["xs_gamma_06"], params)
    export(rec, (1, 3, 112, 112), ["embedding"], args.out, "edgeface_xs_gamma_06")


if __name__ == "__main__":
    main()
