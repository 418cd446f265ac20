"""Model files at and beyond the runtime's size caps are validated (or
refused) in well under a second (10 s in a sanitizer build): `mcuface info FILE` (open = full
validation, then plan) on generated chains of ReLU ops written with
tools/convert/mfm.py.

- 8,192 ops (the cap, MF_FILE_MAX_OPS): validated and planned.
- 8,193 ops and 65,534 ops (a 10 MB file, the size that took 67 s to check
  before validation was made linear): refused as too large (MF_ERANGE).
- 8,192 ops whose last op reads a tensor no op produces earlier, or whose
  two ops produce the same tensor: refused as corrupt (MF_ECORRUPT), the
  check reaching the end of the list.
Usage: model_limits.py BUILD_DIR."""
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "convert"))
import mfm  # noqa: E402

LIMIT_S = 1.0
failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += not ok


def chain(ops):
    g = mfm.Graph()
    t = g.input("x", [1, 4])
    for _ in range(ops):
        t = g.activation(t, "relu")
    g.output(t, "y")
    return bytearray(g.save())


def set_op_input(blob, op, value):
    """Points op OP's first input at tensor VALUE and fixes the CRC."""
    ops_offset = struct.unpack_from("<I", blob, 36)[0]
    struct.pack_into("<i", blob, ops_offset + op * 96 + 4, value)
    refresh_crc(blob)


def set_op_output(blob, op, value):
    ops_offset = struct.unpack_from("<I", blob, 36)[0]
    struct.pack_into("<i", blob, ops_offset + op * 96 + 28, value)
    refresh_crc(blob)


def refresh_crc(blob):
    struct.pack_into("<I", blob, 16, 0)
    struct.pack_into("<I", blob, 16, zlib.crc32(bytes(blob)) & 0xFFFFFFFF)


def info(exe, tmp, name, blob):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(blob)
    start = time.monotonic()
    p = subprocess.run([exe, "info", path], capture_output=True, text=True, timeout=120)
    return p, time.monotonic() - start


def main():
    exe = os.path.abspath(os.path.join(sys.argv[1], "mcuface"))
    if not os.path.exists(exe):
        print("skipped: no " + exe)
        return 77
    global LIMIT_S
    with open(exe, "rb") as f:
        if b"__asan_init" in f.read():
            LIMIT_S *= 10  # sanitizer builds run several times slower; quadratic work would still show
            print(f"sanitizer build: time limit {LIMIT_S:.0f} s")
    with tempfile.TemporaryDirectory(prefix="mcuface_limits_") as tmp:
        p, took = info(exe, tmp, "cap.mfm", chain(8192))
        check(p.returncode == 0 and "8192" in p.stdout and took < LIMIT_S,
              f"8,192 ops validated and planned in {took:.3f} s: exit {p.returncode} {p.stderr.strip()!r}")
        for ops in (8193, 65534):
            blob = chain(ops)
            p, took = info(exe, tmp, f"ops{ops}.mfm", blob)
            check(p.returncode == 1 and "out of range" in p.stderr and took < LIMIT_S,
                  f"{ops:,} ops ({len(blob) / 1e6:.1f} MB) refused in {took:.3f} s: {p.stderr.strip()!r}")
        blob = chain(8192)
        set_op_input(blob, 8191, 8192)  # the last op reads its own output: produced by no earlier op
        p, took = info(exe, tmp, "late.mfm", blob)
        check(p.returncode == 1 and "corrupt" in p.stderr and took < LIMIT_S,
              f"a read before its producer at op 8,191 refused in {took:.3f} s: {p.stderr.strip()!r}")
        blob = chain(8192)
        set_op_output(blob, 8191, 5)  # op 8,191 also produces op 4's output
        p, took = info(exe, tmp, "twice.mfm", blob)
        check(p.returncode == 1 and "corrupt" in p.stderr and took < LIMIT_S,
              f"a tensor produced twice refused in {took:.3f} s: {p.stderr.strip()!r}")
        blob = chain(5000)
        set_op_input(blob, 4999, 5000)  # in the third 2,048-tensor window of the producer check
        p, took = info(exe, tmp, "late2.mfm", blob)
        check(p.returncode == 1 and "corrupt" in p.stderr, f"the same beyond the first 2,048-tensor windows: {p.stderr.strip()!r}")
    print("model_limits: " + ("all passed" if failures == 0 else f"{failures} failed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
