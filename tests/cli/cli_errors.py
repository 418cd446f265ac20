"""Bad input to the CLI: one clear line on stderr and a non-zero exit, never a crash.

Covers corrupt, truncated, empty and missing model files, and unreadable,
truncated, empty and non-image files as images (a JPEG whose DHT declares 300
symbols, which crashed stb_image, a GIF, a FIFO), for detect, info, verify,
identify and db enroll.
Usage: cli_errors.py BUILD_DIR SHARED_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile

CRASH_CODES = {-11, -6, -4, -8, 134, 136, 139}  # signals, as Python and as the shell report them


def run(build, args):
    env = dict(os.environ, MCUFACE_MODEL_DIR=os.path.join(build, "models"))
    # the timeout catches a FIFO that blocks the loader
    return subprocess.run([os.path.join(build, "mcuface")] + args, capture_output=True, text=True, env=env, timeout=60)


def main():
    build, shared = sys.argv[1], sys.argv[2]
    model = os.path.join(build, "models", "retinaface_mnet025.mfm")
    photo = os.path.join(shared, "data", "multiface", "3.jpg")
    if not os.path.exists(model) or not os.path.exists(photo):
        print("SKIP: needs build/models (scripts/build.sh) and ../shared/data/multiface")
        return 77
    tmp = tempfile.mkdtemp()
    try:
        blob = open(model, "rb").read()
        cases = {}
        flipped = bytearray(blob)
        flipped[len(blob) // 2] ^= 0x10
        for name, data in [("flipped.mfm", flipped), ("truncated.mfm", blob[: len(blob) // 3]), ("empty.mfm", b""),
                           ("text.mfm", b"not a model\n" * 10)]:
            path = os.path.join(tmp, name)
            open(path, "wb").write(data)
            cases[f"detect with {name}"] = ["detect", photo, "--model", path]
            cases[f"info of {name}"] = ["info", path]
        cases["detect with a missing model"] = ["detect", photo, "--model", os.path.join(tmp, "absent.mfm")]
        jpeg = open(photo, "rb").read()
        dht_at = jpeg.find(b"\xff\xc4")
        dht_300 = (b"\xff\xc4" + (2 + 1 + 16 + 300).to_bytes(2, "big") + b"\x00" + bytes(14) + bytes([45, 255])
                   + bytes(range(256)) + bytes(44))
        key = os.path.join(tmp, "key")
        db = os.path.join(tmp, "faces.db")
        r = run(build, ["db", "--db", db, "--key-file", key, "init"])
        if r.returncode != 0:
            print(f"FAIL db init: {r.stderr.strip()}")
            return 1
        for name, data in [("truncated.jpg", jpeg[: len(jpeg) // 2]), ("empty.jpg", b""),
                           ("text.jpg", b"hello\n" * 100), ("header_only.png", b"\x89PNG\r\n\x1a\n"),
                           ("dht_300_symbols.jpg", jpeg[:dht_at] + dht_300 + jpeg[dht_at:]),
                           ("animation.gif", b"GIF89a\x10\x00\x10\x00\x80\x00\x00" + bytes(6) + b";"),
                           ("fifo.jpg", None)]:
            path = os.path.join(tmp, name)
            if data is None:
                os.mkfifo(path)
            else:
                open(path, "wb").write(data)
            cases[f"detect of {name}"] = ["detect", path]
            cases[f"verify with {name}"] = ["verify", photo, path, "--no-liveness"]
            cases[f"identify of {name}"] = ["identify", "--db", db, "--key-file", key, path, "--no-liveness"]
            cases[f"db enroll of {name}"] = ["db", "--db", db, "--key-file", key, "enroll", "x", path, "--no-liveness"]
        cases["detect of a missing image"] = ["detect", os.path.join(tmp, "absent.jpg")]
        cases["detect of a directory"] = ["detect", tmp]
        cases["bad --size"] = ["detect", photo, "--size", "-3"]
        cases["unknown command"] = ["frobnicate"]
        failures = 0
        for label, args in cases.items():
            r = run(build, args)
            lines = [l for l in r.stderr.splitlines() if l.strip()]
            ok = r.returncode not in (0, *CRASH_CODES) and lines and lines[0].startswith("mcuface")
            print(f"{'ok  ' if ok else 'FAIL'} {label}: exit {r.returncode}: {lines[0] if lines else '(no message)'}")
            failures += not ok
        print(f"{len(cases) - failures} passed, {failures} failed")
        return 1 if failures else 0
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
