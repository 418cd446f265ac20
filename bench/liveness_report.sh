#!/usr/bin/env bash
# Regenerates the liveness tables of the README and docs/models/MINIFASNET.md:
# error rates on nuaa_dev at the default threshold (ISO/IEC 30107-3 APCER,
# BPCER, ACER), the EER, the threshold at BPCER = 5%, and `mcuface info` for
# both MiniFASNet models. Prints Markdown.
# Usage: [PRECISION=float32|int8] bench/liveness_report.sh [BUILD_DIR]   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
data=${MCUFACE_DATA:-../shared/data}
precision=${PRECISION:-float32}
suffix=; [ "$precision" = int8 ] && suffix=_int8
start=$(date +%s.%N)
json=$("$build/mcuface" eval nuaa --data "$data/nuaa_dev" --precision "$precision" --json)
end=$(date +%s.%N)
python3 - "$json" "$start" "$end" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print("| frames (live / attack) | detector long side | threshold | APCER | BPCER | ACER | EER (at threshold) | threshold at BPCER = 5% (APCER there) | seconds |")
print("|---|---|---|---|---|---|---|---|---|")
print(f"| {r['live']} / {r['attack']} | {r['size']} | {r['threshold']:.2f} | {100*r['apcer']:.2f}% | {100*r['bpcer']:.2f}% "
      f"| {100*r['acer']:.2f}% | {100*r['eer']:.2f}% ({r['eer_threshold']:.4f}) | {r['threshold_bpcer5']:.4f} ({100*r['apcer_at_bpcer5']:.2f}%) "
      f"| {float(sys.argv[3]) - float(sys.argv[2]):.0f} |")
if r["live_no_face"] or r["attack_no_face"]:
    print(f"\nFrames without a face: {r['live_no_face']} live (rejected), {r['attack_no_face']} attack (rejected).")
PY
echo
echo "| model | crop | ops | parameters | weight bytes | MACs | peak arena bytes |"
echo "|---|---|---|---|---|---|---|"
for m in minifasnet_v2:2.7 minifasnet_v1se:4.0; do
  name=${m%%:*}
  "$build/mcuface" info "$build/models/$name$suffix.mfm" | awk -v name="$name" -v crop="${m##*:}x" -F': *' '
    /^ops/ {ops=$2} /^parameters/ {p=$2} /^weight bytes/ {w=$2} /^MACs/ {m=$2} /^peak arena/ {split($2, a, " "); arena=a[1]}
    END {printf "| %s | %s | %s | %s | %s | %s | %s |\n", name, crop, ops, p, w, m, arena}'
done
