#!/usr/bin/env bash
# Executed instructions per pipeline stage of the Cortex-M55 firmware, counted
# exactly by the QEMU TCG plugin bench/qemu_plugin/insn_count.c (QEMU is not
# cycle accurate: instructions are the repeatable measure), for the two
# firmware builds of scripts/build_m55.sh: build-m55/firmware.elf (reference C
# kernels, MF_M55_MVE=OFF) and build-m55/firmware_mve.elf (MF_M55_MVE=ON,
# Helium kernels). Builds them when missing. Stages start at marker addresses
# taken from the ELF (mf_pipeline's stage hook in port/an547/fw_report.c calls fw_mark_* at each stage):
#   start       reset to the first fw_mark_setup (.data copy, .bss zero, semihosting init)
#   setup       fw_mark_setup: model open (CRC of each blob), plans, store mount; per frame the pipeline's
#               prepare stage (checks, detector re-plan) and the synthesis of each sequence frame
#   detect_pre  fw_mark_detect: mf_detect_frame's checks, resize + quantization into the detector input
#   detect_net  the `bl mf_model_run` inside mf_detect_frame (RetinaFace) or mf_yunet_detect: the detector network
#   decode      the instruction after it: scores, sort, prior decode, NMS
#   liveness    fw_mark_liveness: two crops, two MiniFASNet networks, softmax fusion
#   align       fw_mark_align: similarity estimate + warp to 112x112
#   embed       fw_mark_embed: input conversion, recognizer network, L2 normalisation
#   match       fw_mark_match: 1:N search (probes) or enrollment (AES-GCM seal, flash program)
#   report      fw_mark_report: printing
# Prints, per build and stage, instructions, the MACs done there (from the
# report's `work` lines: model stats x runs) and MACs per instruction, then
# the reference/Helium ratio per stage.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build-m55
plugin=$out/insn_count.so
[ -f "$out/firmware.elf" ] && [ -f "$out/firmware_mve.elf" ] && [ -f "$plugin" ] || scripts/build_m55.sh

addr() {
  local a
  a=$(arm-none-eabi-nm "$1" | awk -v s="$2" '$3 == s { print $1 }')
  [ -n "$a" ] || { echo "m55_insn_count: no symbol $2 in $1" >&2; exit 1; }
  echo "0x$a"
}

count() { # ELF NAME -> build-m55/insn_count_NAME.{log,txt}
  local elf=$1 name=$2
  # The calls to mf_model_run of the detectors (RetinaFace: mf_detect_frame, what mf_pipeline
  # calls; YuNet: mf_yunet_detect), each with the instruction after it.
  local fn sites="" pair disasm
  for fn in mf_detect_frame mf_yunet_detect; do
    disasm=$(arm-none-eabi-objdump -d -m armv8.1-m.main --disassemble=$fn "$elf")
    # awk reads to the end: exiting early could kill echo with SIGPIPE (a failure under pipefail)
    pair=$(echo "$disasm" | awk '/^ +[0-9a-f]+:/ { a = $1; sub(":", "", a) }
      found == 1 { print a; found = 2; next } !found && /bl[ \t].*<mf_model_run>/ { print a; found = 1 }')
    if [ -n "$pair" ]; then sites+="$pair"$'\n'; fi
  done
  local n
  n=$(printf '%s' "$sites" | grep -c . || true)
  [ "$n" -ge 2 ] && [ $((n % 2)) -eq 0 ] || { echo "m55_insn_count: no call to mf_model_run in the detectors" >&2; exit 1; }
  local marks="" stage call next
  for stage in setup detect liveness align embed match report; do
    marks+="mark=$(addr "$elf" fw_mark_$stage):${stage/detect/detect_pre},"
  done
  while read -r call && read -r next; do
    marks+="mark=0x$call:detect_net,mark=0x$next:decode,"
  done <<<"$(printf '%s' "$sites")"
  marks=${marks%,}
  local cmd="qemu-system-arm -M mps3-an547 -nographic -semihosting-config enable=on,target=native -kernel $elf -plugin $plugin,$marks -d plugin -D $out/insn_count_$name.log"
  echo "$ $cmd"
  rm -f "$out/insn_count_$name.log"
  local start=$(date +%s)
  timeout 600 $cmd >"$out/insn_count_$name.txt"
  echo "($name: $(($(date +%s) - start)) s wall)"
}

count "$out/firmware.elf" ref
count "$out/firmware_mve.elf" mve

python3 - "$out" <<'PY'
import sys
out = sys.argv[1]
stages = ["start", "setup", "detect_pre", "detect_net", "decode", "liveness", "align", "embed", "match", "report"]
def load(name):
    fw = [l for l in open(f"{out}/insn_count_{name}.txt").read().splitlines() if not l.startswith("info ")]
    if not fw or fw[-1] != "done":
        sys.exit(f"m55_insn_count: {name} firmware report incomplete")
    work = {t[1]: (int(t[3]), int(t[5])) for t in (l.split() for l in fw if l.startswith("work "))}
    regions, total = {}, None
    for l in open(f"{out}/insn_count_{name}.log"):
        t = l.split()
        if t[:2] == ["insn_count", "region"]:
            regions[t[2]] = (int(t[4]), int(t[6]))
        elif t[:2] == ["insn_count", "total"]:
            total = int(t[2])
    if total is None:
        sys.exit(f"m55_insn_count: no counts in {name}'s plugin log")
    images = sum(1 for l in fw if l.startswith("image "))
    return work, regions, total, images
macs_of = {"detect_net": "detector", "liveness": "liveness", "embed": "recognizer"}
runs = {}
for name, title in [("ref", "reference C kernels (MF_M55_MVE=OFF)"), ("mve", "Helium kernels (MF_M55_MVE=ON)")]:
    work, regions, total, images = load(name)
    runs[name] = regions, total
    print(f"\n{title}: {images} images; runs: " + ", ".join(f"{k} {v[0]}" for k, v in work.items()))
    print(f"{'stage':<11} {'instructions':>14} {'entries':>7} {'MACs':>12} {'MACs/insn':>9}")
    for s in stages:
        insns, entries = regions.get(s, (0, 0))
        macs = work[macs_of[s]][1] if s in macs_of else 0
        ratio = f"{macs / insns:.3f}" if macs and insns else ""
        print(f"{s:<11} {insns:>14} {entries:>7} {macs if macs else '':>12} {ratio:>9}")
    print(f"{'total':<11} {total:>14}")
print(f"\n{'stage':<11} {'ref/mve instructions':>20}")
for s in stages + ["total"]:
    r = runs["ref"][1] if s == "total" else runs["ref"][0].get(s, (0, 0))[0]
    m = runs["mve"][1] if s == "total" else runs["mve"][0].get(s, (0, 0))[0]
    print(f"{s:<11} {(f'{r / m:.2f}x' if m else ''):>20}")

# One frame with one live, recognized face: each per-frame stage once, at its mean
# over the run (instructions / entries; MACs / runs of its model).
frame_stages = ["detect_pre", "detect_net", "decode", "liveness", "align", "embed", "match"]
work = load("mve")[0]
print("\none frame, one face (mean per entry of each stage)")
print(f"{'stage':<11} {'MACs':>11} {'reference':>12} {'MACs/insn':>9} {'Helium':>12} {'MACs/insn':>9} {'ref/Helium':>10}")
sums = [0, 0, 0]
for s in frame_stages:
    r_insns, r_n = runs["ref"][0].get(s, (0, 0))
    m_insns, m_n = runs["mve"][0].get(s, (0, 0))
    if not r_n or not m_n:
        sys.exit(f"m55_insn_count: stage {s} never entered")
    r, m = r_insns / r_n, m_insns / m_n
    macs = work[macs_of[s]][1] / work[macs_of[s]][0] if s in macs_of else 0
    sums[0] += macs; sums[1] += r; sums[2] += m
    mr = f"{macs / r:.3f}" if macs else ""
    mm = f"{macs / m:.3f}" if macs else ""
    print(f"{s:<11} {int(macs) if macs else '':>11} {int(round(r)):>12} {mr:>9} {int(round(m)):>12} {mm:>9} {r / m:>9.2f}x")
print(f"{'frame':<11} {int(sums[0]):>11} {int(round(sums[1])):>12} {sums[0] / sums[1]:>9.3f} {int(round(sums[2])):>12} {sums[0] / sums[2]:>9.3f} {sums[1] / sums[2]:>9.2f}x")

# With tracking (the firmware's sequence: mf_pipeline with tracking on), a
# face's first frame runs every network (the frame above); a steady-state
# frame, no re-check due, runs the detector only. Per build, from the same
# means, and the sequence's own mean per frame from the networks each of its
# frames ran ("frame K ... ran detector D liveness L recognizer R").
print("\ntracked face (Helium / reference instructions, mean per entry of each stage)")
for name in ["mve", "ref"]:
    regions = runs[name][0]
    mean = {s: regions[s][0] / regions[s][1] for s in frame_stages}
    first = sum(mean.values())
    steady = mean["detect_pre"] + mean["detect_net"] + mean["decode"]
    fw = open(f"{out}/insn_count_{name}.txt").read().splitlines()
    seq = [l.split() for l in fw if l.startswith("frame ") and " ran detector " in l]
    total = 0.0
    for t in seq:
        lv, rec = int(t[t.index("liveness") + 1]), int(t[t.index("recognizer") + 1])
        total += steady + lv * mean["liveness"] + rec * (mean["align"] + mean["embed"] + mean["match"])
    per_frame = total / len(seq) if seq else 0.0
    label = "Helium" if name == "mve" else "reference"
    print(f"{label:<10} first frame of a face {first / 1e6:8.1f} M   steady-state frame {steady / 1e6:8.1f} M   "
          f"({first / steady:.2f}x)   sequence of {len(seq)} frames: {per_frame / 1e6:.1f} M per frame")
PY
