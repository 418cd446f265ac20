"""C YuNet int8 (yunet_int8.mfm) vs tools/fixtures/int8_reference.py, an independent numpy
interpreter of the int8 arithmetic, on the multiface photos at long side 320.

For each photo (decoded once by `mcuface decode`), tests/face/detect_dump.c runs mf_detect
and writes the network's int8 input and its outputs. Checked:
  1. the int8 input (read before the run) equals numpy's: cv2.resize INTER_LINEAR of the
     float BGR image, q = clamp(round half away from zero(x / scale) + zero point), padding
     the zero point (pixel 0), to multiples of 32; except by 1 where numpy's value is within
     5e-3 of a rounding tie x.5 (C's float bilinear and cv2's differ by up to 3.3e-3, measured
     on photo 9; at most 0.95% of the bytes flip);
  2. the outputs equal int8_reference.run on the C input, bit for bit;
  3. the faces equal the numpy decode of those outputs (detect_yunet_vs_opencv.py's
     decode_faces) within 1e-3 px and 1e-5 in score (only exp differs: mf_expf vs numpy).
Usage: detect_yunet_int8.py BUILD_DIR SHARED_DIR DETECT_DUMP
"""
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "convert"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "fixtures"))
sys.path.insert(0, HERE)

SIZE = 320
PIXEL_TOL, SCORE_TOL = 1e-3, 1e-5
TIE_TOL = 5e-3  # C's float bilinear and cv2's differ by up to 3.3e-3 (measured): ties within this may flip


def main():
    build, shared, dump = sys.argv[1], sys.argv[2], sys.argv[3]
    model = os.path.join(build, "models", "yunet_int8.mfm")
    images = sorted(glob.glob(os.path.join(shared, "data", "multiface", "*.jpg")))
    if not os.path.exists(model) or not images:
        print(f"SKIP: needs {model} and the multiface photos")
        return 77
    try:
        import numpy as np
        import cv2  # noqa: F401
        import int8_reference
        import mfm
    except ImportError as e:
        print("SKIP:", e)
        return 77
    import detect_yunet_vs_opencv as ref
    ref.SCORE_TOL = SCORE_TOL
    g = mfm.load(model)
    x_in = g.tensors[g.inputs[0]]
    assert x_in["dtype"] == mfm.S8, "yunet_int8 takes an int8 image"
    out_dir = os.path.join(build, "fixtures", "detect_yunet_int8")
    os.makedirs(out_dir, exist_ok=True)
    failures = faces_total = 0
    ties = 0.0
    for image in images:
        name = os.path.splitext(os.path.basename(image))[0]
        png, raw = os.path.join(out_dir, name + ".png"), os.path.join(out_dir, name)
        subprocess.run([os.path.join(build, "mcuface"), "decode", image, png], check=True)
        run = subprocess.run([dump, model, png, str(SIZE), repr(ref.SCORE_THRESHOLD), repr(ref.NMS_THRESHOLD), raw],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print(f"FAIL {name}: exit {run.returncode}: {run.stderr.strip()}")
            failures += 1
            continue
        got = json.loads(run.stdout)["faces"]
        padded, image_size, net_size = ref.network_input(png, SIZE)
        v = padded / np.float32(x_in["scale"])
        want_in = np.clip(int8_reference.round_half_away(v) + x_in["zero_point"], -128, 127).astype(np.int8)
        c_in = np.fromfile(raw + ".in", np.int8).reshape(want_in.shape)
        problems = []
        diff = c_in.astype(np.int32) - want_in
        off_tie = np.abs(np.abs(v - np.floor(v)) - 0.5) > TIE_TOL  # not a rounding tie in disguise
        if np.abs(diff).max() > 1 or np.any((diff != 0) & off_tie):
            problems.append(f"input: {int(np.sum(diff != 0))} bytes differ, max {int(np.abs(diff).max())}, "
                            f"{int(np.sum((diff != 0) & off_tie))} away from a rounding tie")
        ties = max(ties, float(np.mean(diff != 0)))
        outs = int8_reference.run(g, c_in[None].astype(np.float32))
        c_out = np.fromfile(raw + ".out", np.float32)
        start, heads = 0, []
        for o in outs:
            heads.append(c_out[start:start + o.size].reshape(o.shape[1:]))
            if not np.array_equal(heads[-1].view(np.uint32), o[0].view(np.uint32)):
                problems.append(f"output {len(heads) - 1}: {int(np.sum(heads[-1] != o[0]))} values differ")
            start += o.size
        if start != c_out.size:
            problems.append(f"outputs: {c_out.size} floats from C, {start} from the reference")
        want = ref.decode_faces(ref.split_levels([o[0] for o in outs], net_size), image_size, net_size)
        matched, px, sd, more = ref.compare(want, got)
        problems += more
        faces_total += matched
        print(f"{'FAIL' if problems else 'ok  '} {name} net {net_size[0]}x{net_size[1]}: {int(np.sum(diff != 0))} "
              f"input bytes off by one at ties, outputs {'differ' if problems else 'bit-exact'}, {matched} faces, "
              f"max pixel diff {px:.2e}, score {sd:.2e}")
        for p in problems:
            print("     ", p)
        failures += bool(problems)
    print(f"{faces_total} faces over {len(images)} photos (largest share of input bytes off at a tie: {ties:.4f}); "
          f"{len(images) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
