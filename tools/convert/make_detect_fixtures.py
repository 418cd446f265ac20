"""Detection fixtures from the RetinaFace PyTorch oracle, for the C runtime's tests.

For every photo in the multiface set, at long side 320 and at the original scale (0):
  OUT/<stem>_<size>.json   {"image": name, "size": size, "network_size": [w, h],
                            "faces": [{"box": [x1,y1,x2,y2], "score": s,
                                       "landmarks": [[x,y] x5]}]}
                           faces with score >= 0.5 only, best first, original pixels
and at long side 320 the raw network outputs, to compare layer output to layer output:
  OUT/<stem>_320_{loc,conf,landms}.npy   float32 [N,4], [N,2] (softmax), [N,10]

Derived from data: write it under the build directory, never into the repository.
Usage: make_detect_fixtures.py --out build/fixtures/detect [--images DIR] [--weights PTH]
"""
import argparse
import glob
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import retinaface  # noqa: E402

DATA = os.environ.get("MCUFACE_DATA", os.path.join(REPO, "..", "shared", "data"))
WEIGHTS = os.path.join(REPO, "..", "shared", "models", "retinaface_mnet025", "mobilenet0.25_Final.pth")
SIZES = (320, 0)
RAW_SIZE = 320
MIN_SCORE = 0.5


def write_fixture(out_dir, detector, path, size):
    image = retinaface.read_rgb(path)
    raw = detector.forward(image, size)
    loc, conf, landms, network_size = raw
    stem = os.path.splitext(os.path.basename(path))[0]
    if size == RAW_SIZE:
        for name, array in (("loc", loc), ("conf", conf), ("landms", landms)):
            np.save(os.path.join(out_dir, f"{stem}_{size}_{name}.npy"), array.astype(np.float32))
    faces = [f for f in detector.detect(image, size, raw=raw) if f["score"] >= MIN_SCORE]
    record = {"image": os.path.basename(path), "size": size, "network_size": list(network_size), "faces": faces}
    with open(os.path.join(out_dir, f"{stem}_{size}.json"), "w") as f:
        json.dump(record, f)
    return len(faces)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="output directory (under the build directory)")
    parser.add_argument("--images", default=os.path.join(DATA, "multiface"))
    parser.add_argument("--weights", default=WEIGHTS)
    args = parser.parse_args(argv)

    paths = sorted(glob.glob(os.path.join(args.images, "*.jpg")))
    if not paths:
        print(f"no images in {args.images}: skipped", file=sys.stderr)
        return 77  # ctest's skip code
    os.makedirs(args.out, exist_ok=True)
    start = time.time()
    detector = retinaface.Detector(args.weights)
    counts = {size: sum(write_fixture(args.out, detector, p, size) for p in paths) for size in SIZES}
    print(f"{len(paths)} images, faces >= {MIN_SCORE}: "
          + ", ".join(f"{counts[s]} at {s or 'original'}" for s in SIZES)
          + f"; {time.time() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
