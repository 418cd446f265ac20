#!/usr/bin/env bash
# Runs build-m55/firmware.elf on QEMU mps3-an547 (Cortex-M55) and compares its
# report with the host reference's on the same model and raw images.
# Build first with scripts/build_m55.sh. Exit status: 0 when the two agree
# (float32: every face, count and label line identical, numbers within
# MF_M55_TOL, default 1e-3 absolute; MF_M55_EXACT=1 demands identical bits,
# as int8 models will), 1 on mismatch, 2 on a crash, fault or timeout
# (QEMU's status, e.g. 101-106 for the firmware's fault handlers, 124 for timeout).
# Writes build-m55/m55.txt and build-m55/host.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build-m55
for f in "$out/firmware.elf" "$out/host/mcuface-fwref" "$out/images.txt" "$out/model.txt"; do
  [ -e "$f" ] || { echo "run_m55: $f missing: run scripts/build_m55.sh" >&2; exit 2; }
done
mapfile -t images <"$out/images.txt"

start=$(date +%s%N)
set +e
timeout 600 qemu-system-arm -M mps3-an547 -nographic -semihosting-config enable=on,target=native \
  -kernel "$out/firmware.elf" >"$out/m55.txt" 2>"$out/m55.err"
rc=$?
set -e
ms=$((($(date +%s%N) - start) / 1000000))
echo "run_m55: QEMU exit $rc after $((ms / 1000)).$(printf %03d $((ms % 1000)))s"
if [ "$rc" -ne 0 ]; then
  cat "$out/m55.txt" "$out/m55.err" | tail -20 >&2
  echo "run_m55: firmware failed (exit $rc)" >&2
  exit 2
fi

"$out/host/mcuface-fwref" detect "$(cat "$out/model.txt")" "${images[@]}" >"$out/host.txt"

python3 - "$out/host.txt" "$out/m55.txt" "${MF_M55_TOL:-1e-3}" "${MF_M55_EXACT:-0}" <<'PY'
import struct, sys
# "info" lines are platform facts (pointer size, stack use): not compared.
host, dev = ([l for l in open(p).read().splitlines() if not l.startswith("info ")] for p in sys.argv[1:3])
tol, exact = float(sys.argv[3]), sys.argv[4] == "1"
def f(h): return struct.unpack("<f", struct.pack("<I", int(h, 16)))[0]
if len(host) != len(dev):
    sys.exit(f"run_m55: {len(host)} host lines, {len(dev)} M55 lines")
if not dev or dev[-1] != "done":
    sys.exit("run_m55: M55 report incomplete")
faces = differing = 0
max_diff, worst = 0.0, ""
for n, (a, b) in enumerate(zip(host, dev), 1):
    if not a.startswith("face "):
        if a != b:
            sys.exit(f"run_m55: line {n} differs:\n  host {a}\n  m55  {b}")
        continue
    ta, tb = a.split(), b.split()
    ha, hb = ta[ta.index("h") + 1:], tb[tb.index("h") + 1:]
    if ta[:2] != tb[:2] or len(ha) != len(hb):
        sys.exit(f"run_m55: line {n} differs in shape")
    faces += 1
    for k, (x, y) in enumerate(zip(ha, hb)):
        if x != y:
            differing += 1
            d = abs(f(x) - f(y))
            if d > max_diff:
                max_diff, worst = d, f"line {n} field {k}: host {f(x)!r} m55 {f(y)!r}"
print(f"run_m55: {faces} faces, {differing} of {faces * 15} float fields differ, max |diff| {max_diff:g}"
      + (f" ({worst})" if worst else " (bit-identical)"))
if exact and differing:
    sys.exit("run_m55: exact match required (MF_M55_EXACT=1)")
if max_diff > tol:
    sys.exit(f"run_m55: max |diff| {max_diff:g} above tolerance {tol:g}")
print("run_m55: M55 matches host")
PY
