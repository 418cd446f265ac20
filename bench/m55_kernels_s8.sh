#!/usr/bin/env bash
# Instructions per MAC of the int8 kernels on the Cortex-M55 (QEMU mps3-an547),
# reference vs Helium twin, counted exactly by the TCG plugin
# bench/qemu_plugin/insn_count.c between the marker functions of
# tests/m55/kernels_s8_m55.c built with MF_KERNELS_BENCH (kernels_s8_m55_bench.elf):
#   conv1x1          28x28x64 -> 128, 1x1, stride 1 (6.4 M MACs)
#   depthwise3x3     28x28x128, 3x3, stride 1, pad 1
#   fully_connected  512 -> 128, one row
#   add              28x28x128 elements (per element, not per MAC)
#   lookup           activation table over 28x28x128 elements (per element)
#   prelu            PReLU over 28x28x128 elements, 128 per-channel slopes (per element)
# Builds with scripts/test_m55_kernels.sh's CMake project and the plugin when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build-m55/kernels
elf=$out/kernels_s8_m55_bench.elf
plugin=$root/build-m55/insn_count.so
cmake -S tests/m55 -B "$out" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi-m55.cmake" >/dev/null
cmake --build "$out" -j"$(nproc)" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 2; }
if [ ! -f "$plugin" ]; then
  mkdir -p "$(dirname "$plugin")"
  cc -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -o "$plugin" bench/qemu_plugin/insn_count.c
fi

marks=""
for name in conv1x1_ref conv1x1_mve depthwise3x3_ref depthwise3x3_mve fully_connected_ref fully_connected_mve \
  add_ref add_mve lookup_ref lookup_mve prelu_ref prelu_mve other; do
  a=$(arm-none-eabi-nm "$elf" | awk -v s="bench_mark_$name" '$3 == s { print $1 }')
  [ -n "$a" ] || { echo "m55_kernels_s8: no symbol bench_mark_$name" >&2; exit 1; }
  marks+="${marks:+,}mark=0x$a:$name"
done
cmd="qemu-system-arm -M mps3-an547 -nographic -semihosting-config enable=on,target=native -kernel $elf -plugin $plugin,$marks -d plugin -D $out/insn_count.log"
echo "$ $cmd"
rm -f "$out/insn_count.log"
timeout 600 $cmd >"$out/bench.txt"

python3 - "$out/bench.txt" "$out/insn_count.log" <<'PY'
import sys
fw = open(sys.argv[1]).read().splitlines()
if not fw or fw[-1] != "done" or any(l.startswith("FAIL") for l in fw):
    sys.exit("m55_kernels_s8: bench firmware failed:\n" + "\n".join(fw))
work = {}
for l in fw:
    t = l.split()
    if t[0] == "bench":
        work[t[1]] = (t[2], int(t[-1]), t[-2])
regions = {}
for l in open(sys.argv[2]):
    t = l.split()
    if t[:2] == ["insn_count", "region"]:
        regions[t[2]] = int(t[4])
print(f"{'kernel':<16} {'shape':<20} {'units':>9} {'ref insns':>12} {'mve insns':>11} {'ref/unit':>9} {'mve/unit':>9} {'ref/mve':>8}")
for name, (shape, units, unit) in work.items():
    ref, mve = regions[name + "_ref"], regions[name + "_mve"]
    unit = "MAC" if unit == "macs" else "element"
    print(f"{name:<16} {shape:<20} {units:>9} {ref:>12} {mve:>11} {ref / units:>9.3f} {mve / units:>9.3f} {ref / mve:>7.1f}x   (per {unit})")
PY
