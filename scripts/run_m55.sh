#!/usr/bin/env bash
# Runs each firmware build-m55/firmware*.elf (build-m55/firmwares.txt) on QEMU
# mps3-an547 (Cortex-M55) and compares its pipeline report with the host
# reference's on the same models and raw images. Build first with
# scripts/build_m55.sh. Lines starting with "info " (workspace bytes, pointer
# size, stack) are platform facts and are left out; every other line must be
# identical, byte for byte, when every model is int8 (`precision int8`; or with
# MF_M55_EXACT=1). With a float32 model in the set, libm differences (newlib
# vs glibc erff/expf/tanhf) may change the last bits of its outputs: then
# every line must still have the same words, float fields (decimal and the
# hex bits) may differ by at most MF_M55_TOL (default 1e-3) and embedding
# CRCs may differ; the script says how many fields differ and by how much.
# Exit status: 0 when they agree, 1 on mismatch, 2 on a crash, fault or
# timeout (QEMU's status, e.g. 101-106 for the firmware's fault handlers, 124
# for timeout). Writes build-m55/host.txt and build-m55/m55[_mve].txt.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build-m55
for f in "$out/firmwares.txt" "$out/host/mcuface-fwref" "$out/images.txt" "$out/models.txt"; do
  [ -e "$f" ] || { echo "run_m55: $f missing: run scripts/build_m55.sh" >&2; exit 2; }
done
mapfile -t images <"$out/images.txt"
mapfile -t models <"$out/models.txt"
mapfile -t firmwares <"$out/firmwares.txt"

"$out/host/mcuface-fwref" pipeline "${models[@]}" "${images[@]}" >"$out/host.txt"

status=0
for elf in "${firmwares[@]}"; do
  report=$out/m55${elf#firmware}
  report=${report%.elf}.txt
  start=$(date +%s%N)
  set +e
  timeout 600 qemu-system-arm -M mps3-an547 -nographic -semihosting-config enable=on,target=native \
    -kernel "$out/$elf" >"$report" 2>"$report.err"
  rc=$?
  set -e
  ms=$((($(date +%s%N) - start) / 1000000))
  echo "run_m55: $elf: QEMU exit $rc after $((ms / 1000)).$(printf %03d $((ms % 1000)))s wall"
  if [ "$rc" -ne 0 ]; then
    cat "$report" "$report.err" | tail -20 >&2
    echo "run_m55: $elf failed (exit $rc)" >&2
    exit 2
  fi
  python3 - "$out/host.txt" "$report" "${MF_M55_TOL:-1e-3}" "${MF_M55_EXACT:-auto}" <<'PY' || status=1
import re, struct, sys
host, dev = ([l for l in open(p).read().splitlines() if not l.startswith("info ")] for p in sys.argv[1:3])
tol, exact = float(sys.argv[3]), sys.argv[4]
if not dev or dev[-1] != "done":
    sys.exit("run_m55: M55 report incomplete")
models = [l.split() for l in host if l.startswith("model ")]
all_int8 = all(t[t.index("precision") + 1] == "int8" for t in models)
exact = exact == "1" or (exact == "auto" and all_int8)
if host == dev:
    print(f"run_m55: {len(dev)} lines, byte for byte identical")
    sys.exit(0)
if exact:
    for n, (a, b) in enumerate(zip(host, dev), 1):
        if a != b:
            sys.exit(f"run_m55: line {n} differs (exact match required):\n  host {a}\n  m55  {b}")
    sys.exit(f"run_m55: {len(host)} host lines, {len(dev)} M55 lines")
if len(host) != len(dev):
    sys.exit(f"run_m55: {len(host)} host lines, {len(dev)} M55 lines")
def bits(h): return struct.unpack("<f", struct.pack("<I", int(h, 16)))[0]
decimal = re.compile(r"-?\d+\.\d+$")
fields = differing = crcs = 0
max_diff, worst = 0.0, ""
for n, (a, b) in enumerate(zip(host, dev), 1):
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb):
        sys.exit(f"run_m55: line {n} differs in shape:\n  host {a}\n  m55  {b}")
    in_bits = False
    for k, (x, y) in enumerate(zip(ta, tb)):
        if x == "bits":
            in_bits = True
        if x == y:
            fields += in_bits and x != "bits"
            continue
        if in_bits:
            fields += 1
            differing += 1
            d = abs(bits(x) - bits(y))
            if d > max_diff:
                max_diff, worst = d, f"line {n} ({ta[0]} {ta[1]}) field {k}: host {bits(x)!r} m55 {bits(y)!r}"
        elif k > 0 and ta[k - 1] == "crc":
            crcs += 1
        elif decimal.match(x) and decimal.match(y):
            step = 10.0 ** -len(x.split(".")[1])
            if abs(float(x) - float(y)) > tol + step:
                sys.exit(f"run_m55: line {n} field {k}: {x} vs {y}")
        else:
            sys.exit(f"run_m55: line {n} differs:\n  host {a}\n  m55  {b}")
print(f"run_m55: not byte-identical (a float32 model in the set): {differing} of {fields} float fields differ, "
      f"{crcs} embedding CRCs differ, max |diff| {max_diff:g}" + (f" ({worst})" if worst else ""))
if max_diff > tol:
    sys.exit(f"run_m55: max |diff| {max_diff:g} above tolerance {tol:g}")
print("run_m55: M55 matches host within tolerance")
PY
done
[ "$status" -eq 0 ] && echo "run_m55: every firmware matches the host" || exit 1
