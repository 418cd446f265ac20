#!/usr/bin/env bash
# Regenerates the detector tables of the README: WIDER dev AP at network
# long side 320, 640 and the original scale, and `mcuface info` for
# RetinaFace at 320x240 and 640x480. Prints Markdown.
# Usage: [PRECISION=float32|int8] bench/detector_report.sh [BUILD_DIR]   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
data=${MCUFACE_DATA:-../shared/data}
precision=${PRECISION:-float32}
suffix=; [ "$precision" = int8 ] && suffix=_int8
model=$build/models/retinaface_mnet025$suffix.mfm
echo "| network input (long side) | easy | medium | hard | seconds |"
echo "|---|---|---|---|---|"
for size in 320 640 0; do
  start=$(date +%s.%N)
  json=$("$build/mcuface" eval widerface --data "$data/widerface_dev" --size "$size" --precision "$precision" --json)
  end=$(date +%s.%N)
  label=$size; [ "$size" = 0 ] && label="original"
  python3 - "$json" "$label" "$start" "$end" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print(f"| {sys.argv[2]} | {100*r['easy']:.1f} | {100*r['medium']:.1f} | {100*r['hard']:.1f} | {float(sys.argv[4]) - float(sys.argv[3]):.0f} |")
PY
done
echo
echo "| input | ops | parameters | weight bytes | MACs | peak arena bytes |"
echo "|---|---|---|---|---|---|"
for input in 320x240 640x480; do
  "$build/mcuface" info "$model" --input "$input" | awk -v input="$input" -F': *' '
    /^ops/ {ops=$2} /^parameters/ {p=$2} /^weight bytes/ {w=$2} /^MACs/ {m=$2} /^peak arena/ {split($2, a, " "); arena=a[1]}
    END {printf "| %s | %s | %s | %s | %s | %s |\n", input, ops, p, w, m, arena}'
done
