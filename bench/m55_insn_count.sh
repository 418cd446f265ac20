#!/usr/bin/env bash
# Executed instructions per pipeline stage of the Cortex-M55 firmware, counted
# exactly by the QEMU TCG plugin bench/qemu_plugin/insn_count.c (QEMU is not
# cycle accurate: instructions are the repeatable measure). Builds with
# scripts/build_m55.sh when build-m55/ is missing. Stages are delimited by
# marker addresses taken from the ELF:
#   start       reset to mf_detector_open (.data copy, .bss zero, semihosting init)
#   open        mf_detector_open (model validation, including the CRC of the blob)
#   plan        mf_detector_plan (shapes, arena plan; once per image size)
#   preprocess  fw_mark_detect_begin: mf_detect's checks, resize + mean subtraction to the float input
#   network     mf_model_run entry
#   decode      return from mf_model_run inside mf_detect: scores, sort, prior decode, NMS
#   report      fw_mark_detect_end: printing the faces (and the next image's bind)
# Prints a table with MACs (model stats of the planned sizes) and MACs per instruction.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build-m55
elf=$out/firmware.elf
plugin=$out/insn_count.so
[ -f "$elf" ] && [ -f "$plugin" ] || scripts/build_m55.sh

addr() {
  local a
  a=$(arm-none-eabi-nm "$elf" | awk -v s="$1" '$3 == s { print $1 }')
  [ -n "$a" ] || { echo "m55_insn_count: no symbol $1 in $elf" >&2; exit 1; }
  echo "0x$a"
}
# The instruction after mf_detect's call to mf_model_run: where decoding starts.
disasm=$(arm-none-eabi-objdump -d -m armv8.1-m.main --disassemble=mf_detect "$elf")
ret_site=$(echo "$disasm" | awk '/bl[ \t].*<mf_model_run>/ { found = 1; next } found && /^ +[0-9a-f]+:/ { sub(":", "", $1); if (!done) print $1; done = 1 }')
[ -n "$ret_site" ] || { echo "m55_insn_count: no call to mf_model_run in mf_detect" >&2; exit 1; }

marks="mark=$(addr mf_detector_open):open,mark=$(addr mf_detector_plan):plan"
marks+=",mark=$(addr fw_mark_detect_begin):preprocess,mark=$(addr mf_model_run):network"
marks+=",mark=0x$ret_site:decode,mark=$(addr fw_mark_detect_end):report"
cmd="qemu-system-arm -M mps3-an547 -nographic -semihosting-config enable=on,target=native -kernel $elf -plugin $plugin,$marks -d plugin -D $out/insn_count.log"
echo "$ $cmd"
rm -f "$out/insn_count.log"
timeout 600 $cmd >"$out/insn_count_fw.txt"

python3 - "$out/insn_count_fw.txt" "$out/insn_count.log" <<'PY'
import sys
fw = [l for l in open(sys.argv[1]).read().splitlines() if not l.startswith("info ")]
log = open(sys.argv[2]).read().splitlines()
images = [l.split() for l in fw if l.startswith("image ")]
if not fw or fw[-1] != "done" or not images:
    sys.exit("m55_insn_count: firmware report incomplete")
macs = sum(int(t[t.index("macs") + 1]) for t in images)
pixels = sum(int(t[3].split("x")[0]) * int(t[3].split("x")[1]) for t in images)
faces = sum(int(t[t.index("faces") + 1]) for t in images)
regions, total = {}, None
for l in log:
    t = l.split()
    if t[:2] == ["insn_count", "region"]:
        regions[t[2]] = (int(t[4]), int(t[6]))
    elif t[:2] == ["insn_count", "total"]:
        total = int(t[2])
if total is None:
    sys.exit("m55_insn_count: no counts in the plugin log")
n = len(images)
print(f"images: {n} ({', '.join(t[2] + ' ' + t[3] for t in images)}), {faces} faces, {macs} network MACs")
print(f"{'stage':<11} {'instructions':>14} {'per image':>13} {'entries':>7}  notes")
for name in ["start", "open", "plan", "preprocess", "network", "decode", "report"]:
    insns, entries = regions.get(name, (0, 0))
    note = ""
    if name == "network":
        note = f"{macs} MACs, {macs / insns:.3f} MACs/instruction, {insns / macs:.2f} instructions/MAC"
    elif name == "preprocess":
        note = f"{insns / pixels:.1f} instructions/pixel"
    elif name == "decode":
        note = f"{faces} faces kept"
    print(f"{name:<11} {insns:>14} {insns // n if name in ('preprocess', 'network', 'decode') else '':>13} {entries:>7}  {note}")
print(f"{'total':<11} {total:>14}")
PY
