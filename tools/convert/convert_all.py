"""Converts every model in models/manifest.json into OUT_DIR/<name>.mfm.

Usage: convert_all.py [--src DIR] [--out DIR] [--only NAME ...]
The source directory defaults to $MCUFACE_MODELS_SRC, else ../shared/models
beside the repository. Each file's sha256 is checked against the manifest
first: a different file is refused, never converted. Up-to-date outputs
(newer than the source and the converter) are skipped.
"""
import argparse
import hashlib
import importlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    default_src = os.environ.get("MCUFACE_MODELS_SRC") or os.path.join(ROOT, "..", "shared", "models")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", default=default_src)
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "models"))
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    with open(os.path.join(ROOT, "models", "manifest.json")) as f:
        manifest = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    failures = 0
    for entry in manifest["models"]:
        if args.only and entry["name"] not in args.only:
            continue
        src = os.path.join(args.src, entry["source"])
        dst = os.path.join(args.out, entry["name"] + ".mfm")
        if not os.path.exists(src):
            print(f"{entry['name']}: source {src} not found (fetch it from {entry['url']})", file=sys.stderr)
            failures += 1
            continue
        digest = sha256(src)
        if digest != entry["sha256"]:
            print(f"{entry['name']}: sha256 of {src} is {digest}, expected {entry['sha256']}: refusing", file=sys.stderr)
            failures += 1
            continue
        converter = importlib.import_module(entry["converter"])
        inputs = [src, converter.__file__, os.path.join(HERE, "mfm.py")]
        if os.path.exists(dst) and os.path.getmtime(dst) > max(os.path.getmtime(p) for p in inputs):
            print(f"{entry['name']}: up to date")
            continue
        getattr(converter, entry.get("function", "convert"))(src, dst)
        print(f"{entry['name']}: wrote {dst} ({os.path.getsize(dst)} bytes)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
