"""Run the RetinaFace PyTorch oracle over a WIDER FACE image list and write predictions
as JSON lines {"image": relpath, "faces": [{"box": [x1,y1,x2,y2], "score": s}]}, the
input format of widerface_ap.py (and of the C evaluator).

  widerface_predict.py --long-side 320 --out preds_320.jsonl [--eval]

--long-side 0 is the original scale. --size-rounding floor truncates the network size
(int(W * long_side / max(W, H))) instead of rounding it. --int-boxes writes boxes the
way biubug6's test_widerface.py does (x, y truncated with int(); w = int(x2) - int(x1)), for
comparison with numbers produced by that script.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools", "convert"))
sys.path.insert(0, HERE)

import retinaface  # noqa: E402
import widerface_ap  # noqa: E402

DATA = os.environ.get("MCUFACE_DATA", os.path.join(REPO, "..", "shared", "data"))
WEIGHTS = os.path.join(REPO, "..", "shared", "models", "retinaface_mnet025", "mobilenet0.25_Final.pth")


def truncate_like_test_widerface(box):
    x1, y1, x2, y2 = (int(v) for v in box)
    return [float(x1), float(y1), float(x2), float(y2)]


def predict(detector, ground_truth, images_dir, long_side, int_boxes=False, rounding="nearest"):
    """{relpath: [faces]} for every image in the ground truth, in its order."""
    results = {}
    for name in ground_truth:
        image = retinaface.read_rgb(os.path.join(images_dir, name))
        faces = detector.detect(image, long_side, rounding=rounding)
        results[name] = [{"box": truncate_like_test_widerface(f["box"]) if int_boxes else f["box"],
                          "score": f["score"]} for f in faces]
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gt", default=os.path.join(DATA, "widerface_dev", "wider_dev_bbx_gt.txt"))
    parser.add_argument("--images", default=os.path.join(DATA, "widerface_dev", "images"))
    parser.add_argument("--weights", default=WEIGHTS)
    parser.add_argument("--long-side", type=int, default=0, help="0 = original scale")
    parser.add_argument("--size-rounding", choices=("nearest", "floor"), default="nearest",
                        help="network size rounding (retinaface.network_size)")
    parser.add_argument("--int-boxes", action="store_true", help="truncate boxes as test_widerface.py")
    parser.add_argument("--out", help="JSON lines output")
    parser.add_argument("--eval", action="store_true", help="print easy/medium/hard AP")
    args = parser.parse_args(argv)

    ground_truth = widerface_ap.read_ground_truth(args.gt)
    detector = retinaface.Detector(args.weights)
    start = time.time()
    results = predict(detector, ground_truth, args.images, args.long_side, args.int_boxes,
                      args.size_rounding)
    print(f"{len(results)} images, long side {args.long_side or 'original'}: {time.time() - start:.1f} s")
    if args.out:
        with open(args.out, "w") as f:
            for name, faces in results.items():
                f.write(json.dumps({"image": name, "faces": faces}) + "\n")
    if args.eval:
        aps = widerface_ap.evaluate(ground_truth, {name: widerface_ap.faces_to_array(faces)
                                                   for name, faces in results.items()})
        print(widerface_ap.format_aps(aps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
