"""--precision float32|int8 on every CLI command that opens models.

Covers: bad values (exit 2, one line) on every such command; the int8
detector (retinaface_mnet025_int8) through detect and align, close to the
float one; an explicit model FILE winning over --precision; for each command
that needs an int8 recognizer or liveness model, either the one-line
"not found ... convert_all.py --only NAME" error (exit 1) while that file is
missing, or, once it exists, a run that works and reports "precision":"int8";
a liveness threshold stored in the model file becoming the default; and
`info` / `bench` reporting a model's precision and its requantization bytes.
Usage: cli_precision.py BUILD_DIR SHARED_DIR. Exit 77 (skip) without the
float models, the int8 detector or the data.
"""
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

CRASH_CODES = {-11, -6, -4, -8, 134, 136, 139}
LFW_ENROLL, LFW_PROBE = "Tony_Blair/Tony_Blair_0018.jpg", "Tony_Blair/Tony_Blair_0053.jpg"

failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += not ok


class Cli:
    def __init__(self, build, cwd):
        self.exe = os.path.abspath(os.path.join(build, "mcuface"))
        self.models = os.path.abspath(os.path.join(build, "models"))
        self.cwd = cwd

    def run(self, *args):
        env = dict(os.environ, MCUFACE_MODEL_DIR=self.models)
        env.pop("MCUFACE_KEY_FILE", None)
        return subprocess.run([self.exe, *args], capture_output=True, text=True, env=env, cwd=self.cwd)

    def json(self, *args):
        p = self.run(*args)
        if p.returncode != 0:
            check(False, f"mcuface {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
            return None
        return json.loads(p.stdout.splitlines()[-1])

    def has(self, name):
        return os.path.exists(os.path.join(self.models, name + ".mfm"))


def one_line_error(p, code):
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    return p.returncode == code and p.returncode not in CRASH_CODES and len(lines) == 1 and lines[0].startswith("mcuface: ")


def check_parse_errors(cli, photo):
    db = ["--db", "x.db", "--key-file", "x.key"]
    commands = {
        "detect": ["detect", photo], "align": ["align", photo, "out.png"], "embed": ["embed", photo],
        "embed --aligned": ["embed", "--aligned", photo], "verify": ["verify", photo, photo],
        "liveness": ["liveness", photo], "identify": ["identify", *db, photo],
        "db enroll": ["db", *db, "enroll", "A", photo], "db add": ["db", *db, "add", "1", photo],
        "eval lfw": ["eval", "lfw", "--data", "."], "eval nuaa": ["eval", "nuaa", "--data", "."],
        "eval widerface": ["eval", "widerface", "--data", "."], "info": ["info", "retinaface_mnet025"],
        "bench": ["bench", "retinaface_mnet025"],
    }
    for label, args in commands.items():
        for bad in ["int4", "INT8", "fp32", ""]:
            p = cli.run(*args, "--precision", bad)
            check(one_line_error(p, 2) and "--precision wants float32 or int8" in p.stderr,
                  f"{label} --precision '{bad}': exit {p.returncode}, {p.stderr.strip()!r}")
        p = cli.run(*args, "--precision")  # no value
        check(one_line_error(p, 2), f"{label} --precision without a value: exit {p.returncode}, {p.stderr.strip()!r}")


def boxes_close(a, b, tol):
    """Every box of A has a box of B whose corners are all within TOL pixels; returns the worst distance."""
    worst = 0.0
    for fa in a:
        worst = max(worst, min(max(abs(x - y) for x, y in zip(fa["box"], fb["box"])) for fb in b))
    return worst <= tol, worst


def check_int8_detector(cli, photos):
    import cv2  # /usr/bin/python3 has it; only needed here
    import numpy as np
    for photo in photos:
        f = cli.json("detect", photo, "--json", "--precision", "float32")
        q = cli.json("detect", photo, "--json", "--precision", "int8")
        if not f or not q:
            continue
        check(f["precision"] == "float32" and q["precision"] == "int8", "detect --json reports the precision")
        check(len(f["faces"]) == len(q["faces"]) > 0,
              f"detect {os.path.basename(photo)}: {len(f['faces'])} faces float32, {len(q['faces'])} int8")
        ok, worst = boxes_close(f["faces"], q["faces"], 5.0)
        check(ok, f"detect {os.path.basename(photo)}: int8 boxes within 5 px of float32 (worst {worst:.2f} px)")
        # An explicit model file wins over --precision.
        e = cli.json("detect", photo, "--json", "--precision", "int8", "--model",
                     os.path.join(cli.models, "retinaface_mnet025.mfm"))
        check(e is not None and e["faces"] == f["faces"], "detect --model FILE --precision int8 runs that file")
    photo = photos[0]
    for precision in ("float32", "int8"):
        p = cli.run("align", photo, f"aligned_{precision}.png", "--precision", precision)
        check(p.returncode == 0, f"align --precision {precision}: exit {p.returncode} {p.stderr.strip()}")
    a = cv2.imread(os.path.join(cli.cwd, "aligned_float32.png"))
    b = cv2.imread(os.path.join(cli.cwd, "aligned_int8.png"))
    if a is not None and b is not None:
        diff = float(np.abs(a.astype(float) - b.astype(float)).mean())
        # int8 landmarks sit within about a network pixel of float32's (3.jpg: 2 px at the original
        # scale, 2.4 px in the aligned view with libjpeg's pixels, 0.4 px with stb_image's), so the
        # bound is a 2-pixel shift of the aligned face; a wrong face or wrong warp is far above it.
        shifted = float(np.abs(a.astype(float) - np.roll(a, 2, axis=1).astype(float)).mean())
        check(a.shape == b.shape == (112, 112, 3) and diff < shifted,
              f"align int8 vs float32: mean |diff| {diff:.2f} < a 2-pixel shift's {shifted:.2f}")


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def expect_models(cli, label, needed, args, positive):
    """Runs ARGS at int8: exit 1 naming a missing model of NEEDED while one is missing, else POSITIVE(output)."""
    missing = [n for n in needed if not cli.has(n)]
    p = cli.run(*args)
    if missing:
        named = [n for n in missing if f"model {n} not found" in p.stderr and f"--only {n}" in p.stderr]
        check(one_line_error(p, 1) and named,
              f"{label}: missing {', '.join(missing)}: exit {p.returncode}, {p.stderr.strip()!r}")
    elif p.returncode != 0:
        check(False, f"{label}: exit {p.returncode}: {p.stderr.strip()}")
    else:
        positive(json.loads(p.stdout.splitlines()[-1]))


def check_int8_models(cli, shared, photo):
    rec, live = "edgeface_xs_gamma_06_int8", ["minifasnet_v2_int8", "minifasnet_v1se_int8"]
    det = "retinaface_mnet025_int8"
    float_faces = cli.json("embed", photo, "--json", "--precision", "float32")["faces"]

    def embed_ok(out):
        check(out["precision"] == "int8" and len(out["faces"]) == len(float_faces), "embed --precision int8 runs")
        cos = min(max(cosine(q["embedding"], f["embedding"]) for f in float_faces) for q in out["faces"])
        check(cos > 0.5, f"embed int8 embeddings follow the float ones (worst best-match cosine {cos:.3f})")

    expect_models(cli, "embed --precision int8", [det, rec], ["embed", photo, "--json", "--precision", "int8"], embed_ok)
    # An explicit recognizer FILE wins: only the detector is int8, so the embeddings stay close to float.
    out = cli.json("embed", photo, "--json", "--precision", "int8", "--recognizer",
                   os.path.join(cli.models, "edgeface_xs_gamma_06.mfm"))
    if out:
        cos = min(max(cosine(q["embedding"], f["embedding"]) for f in float_faces) for q in out["faces"])
        check(out["precision"] == "int8" and len(out["faces"]) == len(float_faces) and cos > 0.9,
              f"embed --precision int8 --recognizer FILE runs that float file (worst cosine {cos:.3f})")
    cli.run("align", photo, "face.png")
    for name in ["edgeface_xs_gamma_06", "edgeface_xs_q", "edgeface_xxs_q", "mobilefacenet"]:
        expect_models(cli, f"embed --aligned --recognizer {name} --precision int8", [name + "_int8"],
                      ["embed", "--aligned", "face.png", "--recognizer", name, "--precision", "int8"],
                      lambda out: check(out["precision"] == "int8" and len(out["embedding"]) > 0,
                                        "embed --aligned --precision int8 runs"))
    expect_models(cli, "verify --precision int8", [det, rec] + live,
                  ["verify", photo, photo, "--json", "--precision", "int8"],
                  lambda out: check(out["precision"] == "int8" and 0 <= out["live_threshold"] <= 1,
                                    f"verify --precision int8 runs: {out}"))
    expect_models(cli, "liveness --precision int8", [det] + live, ["liveness", photo, "--json", "--precision", "int8"],
                  lambda out: check(out["precision"] == "int8" and 0 <= out["threshold"] <= 1 and
                                    all(0 <= f["live_score"] <= 1 for f in out["faces"]),
                                    "liveness --precision int8 runs"))
    expect_models(cli, "eval nuaa --precision int8", [det] + live,
                  ["eval", "nuaa", "--data", os.path.join(shared, "data", "nuaa_dev"), "--limit", "3", "--json",
                   "--precision", "int8"],
                  lambda out: check(out["precision"] == "int8" and out["live"] + out["attack"] == 3,
                                    "eval nuaa --precision int8 runs"))
    # A tiny LFW (2 same + 2 different pairs, one fold) for an end-to-end smoke.
    lfw = os.path.join(cli.cwd, "lfw")
    os.makedirs(lfw)
    os.symlink(os.path.join(shared, "data", "lfw", "lfw-deepfunneled"), os.path.join(lfw, "lfw-deepfunneled"))
    with open(os.path.join(shared, "data", "lfw", "pairs.txt")) as f:
        rows = f.read().splitlines()
    with open(os.path.join(lfw, "pairs.txt"), "w") as f:
        f.write("1\t2\n" + "\n".join(rows[1:3] + rows[301:303]) + "\n")
    for precision, needed in [("float32", []), ("int8", [det, rec])]:
        expect_models(cli, f"eval lfw --precision {precision} (4 pairs)", needed,
                      ["eval", "lfw", "--data", lfw, "--folds", "1", "--jobs", "1", "--json", "--precision", precision],
                      lambda out, p=precision: check(out["precision"] == p and out["pairs"] == 4 and
                                                     out["recognizer"].endswith("_int8") == (p == "int8"),
                                                     f"eval lfw --precision {p} runs: {out['recognizer']}"))
    # db enroll (no liveness: only the recognizer), then identify with liveness.
    base = ["--db", "g.db", "--key-file", "g.key"]
    cli.run("db", *base, "init", "--sectors", "2")
    enroll, probe = (os.path.join(shared, "data", "lfw", "lfw-deepfunneled", n) for n in (LFW_ENROLL, LFW_PROBE))
    expect_models(cli, "db enroll --precision int8", [det, rec],
                  ["db", *base, "enroll", "Tony", enroll, "--no-liveness", "--json", "--precision", "int8"],
                  lambda out: check(out["precision"] == "int8" and out["name"] == "Tony", "db enroll --precision int8 runs"))

    def identified(out):
        face = out["faces"][0] if out["faces"] else {}
        check(out["precision"] == "int8" and len(out["faces"]) == 1 and (not face["live"] or face["name"] == "Tony"),
              f"identify --precision int8 runs: {out}")

    expect_models(cli, "identify --precision int8", [det, rec] + live,
                  ["identify", *base, probe, "--json", "--precision", "int8"], identified)


def with_metadata(src, dst, extra):
    """Copies model file SRC to DST with EXTRA (key, value) pairs appended to its metadata table."""
    blob = bytearray(open(src, "rb").read())
    meta_off, meta_bytes = struct.unpack_from("<II", blob, 60)
    table = bytes(blob[meta_off:meta_off + meta_bytes]).rstrip(b"\0") + b"\0"
    table += b"".join(k.encode() + b"\0" + v.encode() + b"\0" for k, v in extra) + b"\0"
    struct.pack_into("<II", blob, 60, len(blob), len(table))
    blob += table
    struct.pack_into("<I", blob, 12, len(blob))
    struct.pack_into("<I", blob, 16, 0)
    struct.pack_into("<I", blob, 16, zlib.crc32(bytes(blob)) & 0xFFFFFFFF)
    open(dst, "wb").write(blob)


def check_stored_liveness_threshold(cli, photo):
    v2, v1se = (os.path.join(cli.models, n + ".mfm") for n in ("minifasnet_v2", "minifasnet_v1se"))
    with_metadata(v2, os.path.join(cli.cwd, "v2_090.mfm"), [("live_threshold", "0.9")])
    with_metadata(v2, os.path.join(cli.cwd, "v2_bad.mfm"), [("live_threshold", "1.5")])
    plain = cli.json("liveness", photo, "--json", "--precision", "float32")
    stored = cli.json("liveness", photo, "--json", "--models", "v2_090.mfm", v1se, "--precision", "float32")
    given = cli.json("liveness", photo, "--json", "--models", "v2_090.mfm", v1se, "--threshold", "0.5",
                     "--precision", "float32")
    if plain and stored and given:
        check(abs(plain["threshold"] - 0.27) < 1e-6, f"liveness default threshold {plain['threshold']} (no stored one)")
        check(abs(stored["threshold"] - 0.9) < 1e-6, f"liveness threshold stored in the file: {stored['threshold']}")
        check(abs(given["threshold"] - 0.5) < 1e-6, "--threshold overrides the stored one")
        check([f["live_score"] for f in stored["faces"]] == [f["live_score"] for f in plain["faces"]],
              "the stored threshold changes no score")
    p = cli.run("liveness", photo, "--models", "v2_bad.mfm", v1se)
    check(one_line_error(p, 1) and "live_threshold" in p.stderr, f"a stored threshold of 1.5 is refused: {p.stderr.strip()!r}")


def check_info_bench(cli):
    for name, precision in [("retinaface_mnet025", "float32"), ("retinaface_mnet025", "int8")]:
        p = cli.run("info", name, "--precision", precision)
        lines = dict(l.split(":", 1) for l in p.stdout.splitlines() if ":" in l)
        ws = int(lines.get("workspace", "0 bytes").split()[0])
        reported = lines.get("precision", "").strip()
        if precision == "int8":
            quant = int(reported.split("parameters: ")[1].split()[0]) if "parameters: " in reported else 0
            check(p.returncode == 0 and reported.startswith("int8") and 0 < quant < ws,
                  f"info {name} --precision int8: precision '{reported}', workspace {ws}")
        else:
            check(p.returncode == 0 and reported == "float32", f"info {name}: precision '{reported}'")
        b = cli.json("bench", name, "--precision", precision, "--runs", "1", "--warmup", "0", "--input", "64x48", "--json")
        check(b is not None and b["precision"] == precision and b["model"].endswith(
            name + ("_int8" if precision == "int8" else "") + ".mfm"), f"bench {name} --precision {precision}")
    p = cli.run("info", "no_such_model", "--precision", "int8")
    check(one_line_error(p, 1) and "no_such_model_int8 not found" in p.stderr, f"info of a missing model: {p.stderr.strip()!r}")


def main():
    build, shared = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    photos = [os.path.join(shared, "data", "multiface", n) for n in ("3.jpg", "2.jpg")]
    needed = [os.path.join(build, "models", n + ".mfm") for n in
              ("retinaface_mnet025", "retinaface_mnet025_int8", "edgeface_xs_gamma_06", "minifasnet_v2", "minifasnet_v1se")]
    needed += photos + [os.path.join(shared, "data", d) for d in ("lfw", "nuaa_dev")]
    missing = [p for p in needed if not os.path.exists(p)]
    if missing:
        print("SKIP: missing " + ", ".join(missing))
        return 77
    tmp = tempfile.mkdtemp(prefix="mcuface_precision_")
    try:
        cli = Cli(build, tmp)
        check_parse_errors(cli, photos[0])
        check_int8_detector(cli, photos)
        check_int8_models(cli, shared, photos[0])
        check_stored_liveness_threshold(cli, photos[0])
        check_info_bench(cli)
    finally:
        shutil.rmtree(tmp)
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
