#!/usr/bin/env bash
# Executed instructions of a whole int8 network on the Cortex-M55 (QEMU
# mps3-an547), reference kernels vs the Helium executor, counted exactly by
# the TCG plugin bench/qemu_plugin/insn_count.c. The model and input are
# one of scripts/test_m55_graph.sh's cases, named by the first argument:
# retinaface_mnet025_int8 (default; multiface photo 15 at 320x240, quantized
# on the host), yunet_int8 (the same photo at 320x240, padded to 320x256), minifasnet_v2_int8 or minifasnet_v1se_int8 (an 80x80 face
# crop) or edgeface_xs_gamma_06_int8 (a 112x112 aligned face); the firmwares are
# its graph_s8_m55_{ref,mve}_profile.elf built with that case alone:
#   network   mf_model_run, from graph_mark_run_begin to graph_mark_run_end
#   then the same graph op by op (the outputs are checked again), split by
#   op kind with a marker function before each op: conv_1x1, conv_kxk,
#   depthwise, binary, activation (int8 lookup table), prelu, mean, pool, concat, resize,
#   quantize, dequantize, other (reshape, float ops); glue = reading the op
#   records between ops.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
graph=$root/build-m55/graph
name=${1:-retinaface_mnet025_int8}
out=$graph/bench${1:+_$1}
plugin=$root/build-m55/insn_count.so
[ -f "$graph/data/$name.out" ] || scripts/test_m55_graph.sh >/dev/null
dims=$(awk -v n="$name" '$1 == "case" && $2 == n { print $4; exit }' "$graph/graph_s8_m55_ref.txt")
[ -n "$dims" ] || { echo "m55_graph_insn: no $name case in $graph/graph_s8_m55_ref.txt" >&2; exit 1; }
cmake -S tests/m55_graph -B "$out" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi-m55.cmake" \
  -DMF_GRAPH_DATA="$graph/data" -DMF_GRAPH_CASES="$name:$dims" >/dev/null
cmake --build "$out" -j"$(nproc)" --target graph_s8_m55_ref_profile.elf graph_s8_m55_mve_profile.elf \
  >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 2; }
if [ ! -f "$plugin" ]; then
  cc -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -o "$plugin" bench/qemu_plugin/insn_count.c
fi

kinds="glue conv_1x1 conv_kxk depthwise fully_connected binary activation prelu mean pool concat resize quantize dequantize other"
for kernels in ref mve; do
  elf=$out/graph_s8_m55_${kernels}_profile.elf
  marks=""
  for m in run_begin:network run_end:after $(for k in $kinds; do echo "$k:$k"; done); do
    a=$(arm-none-eabi-nm "$elf" | awk -v s="graph_mark_${m%%:*}" '$3 == s { print $1 }')
    [ -n "$a" ] || { echo "m55_graph_insn: no symbol graph_mark_${m%%:*}" >&2; exit 1; }
    marks+="${marks:+,}mark=0x$a:${m##*:}"
  done
  cmd="qemu-system-arm -M mps3-an547 -nographic -semihosting-config enable=on,target=native -kernel $elf -plugin $plugin,$marks -d plugin -D $out/insn_$kernels.log"
  echo "$ $cmd"
  rm -f "$out/insn_$kernels.log"
  timeout 600 $cmd >"$out/fw_$kernels.txt" || { cat "$out/fw_$kernels.txt" >&2; exit 1; }
done

python3 - "$out" "$kinds" <<'PY'
import sys
out, kinds = sys.argv[1], sys.argv[2].split()
def load(kernels):
    fw = open(f"{out}/fw_{kernels}.txt").read().splitlines()
    cases = [l.split() for l in fw if l.startswith("case ")]
    if len(cases) != 1 or cases[0][-1] != "match":
        sys.exit(f"m55_graph_insn: {kernels} firmware did not match the host:\n" + "\n".join(fw))
    prof = {t[1]: (int(t[3]), int(t[5])) for t in (l.split() for l in fw if l.startswith("profile "))}
    regions = {}
    for l in open(f"{out}/insn_{kernels}.log"):
        t = l.split()
        if t[:2] == ["insn_count", "region"]:
            regions[t[2]] = (int(t[4]), int(t[6]))
    return cases[0], prof, regions
(case, prof, ref), (_, _, mve) = load("ref"), load("mve")
macs = int(case[case.index("macs") + 1])
print(f"{case[1]} {case[3]}: {macs} MACs, outputs match the host (both executors)")
net_r, net_m = ref["network"][0], mve["network"][0]
print(f"network (mf_model_run)  reference {net_r}  Helium {net_m}  ratio {net_r / net_m:.2f}x  "
      f"instructions/MAC {net_r / macs:.3f} -> {net_m / macs:.3f}")
print(f"{'op kind':<16} {'ops':>4} {'MACs':>11} {'ref insns':>12} {'mve insns':>12} {'ref/MAC':>8} {'mve/MAC':>8} {'ref/mve':>8} {'mve share':>9}")
sum_r = sum(ref.get(k, (0, 0))[0] for k in kinds)
sum_m = sum(mve.get(k, (0, 0))[0] for k in kinds)
for k in kinds:
    r, n = ref.get(k, (0, 0))
    m, _ = mve.get(k, (0, 0))
    if not r and not m:
        continue
    ops = n if k != "glue" else "-"
    km = prof.get(k, (0, 0))[1]
    per = f"{r / km:>8.3f} {m / km:>8.3f}" if km else f"{'':>8} {'':>8}"
    print(f"{k:<16} {ops:>4} {km if km else '':>11} {r:>12} {m:>12} {per} {r / m if m else 0:>7.1f}x {100 * m / sum_m:>8.1f}%")
print(f"{'sum (op by op)':<16} {'':>4} {'':>11} {sum_r:>12} {sum_m:>12} {'':>8} {'':>8} {sum_r / sum_m:>7.1f}x")
PY
