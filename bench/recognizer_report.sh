#!/usr/bin/env bash
# Regenerates the recognition tables of the README: LFW accuracy end to end
# (mcuface eval lfw: detect at the original scale, align, embed, 10 folds)
# and `mcuface info` for every recognizer. Prints Markdown. About 10 minutes
# per recognizer on 2 cores.
# Usage: [PRECISION=float32|int8] bench/recognizer_report.sh [BUILD_DIR] [RECOGNIZER...]   (after scripts/build.sh)
# (int8: the detector is int8 too; the recognizers with an int8 file are the default list)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
recognizers=("$@")
precision=${PRECISION:-float32}
suffix=; [ "$precision" = int8 ] && suffix=_int8
if [ ${#recognizers[@]} -eq 0 ]; then
  recognizers=(edgeface_xs_gamma_06 edgeface_xs_q edgeface_xxs_q mobilefacenet)
  [ "$precision" = int8 ] && recognizers=(edgeface_xs_gamma_06 edgeface_xxs_q)
fi
data=${MCUFACE_DATA:-../shared/data}
echo "| recognizer | LFW accuracy (10 folds) | TAR @ FAR=1e-3 | images without a face |"
echo "|---|---|---|---|"
for r in "${recognizers[@]}"; do
  json=$("$build/mcuface" eval lfw --data "$data/lfw" --recognizer "$r" --precision "$precision" --json)
  python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(f"| {j[\"recognizer\"]} | {100*j[\"accuracy\"]:.2f} ± {100*j[\"std\"]:.2f} | {100*j[\"tar_at_far_1e-3\"]:.2f} | {j[\"no_face\"]} of {j[\"images\"]} |")' "$json"
done
echo
echo "| recognizer | ops | parameters | weight bytes | MACs | peak arena bytes |"
echo "|---|---|---|---|---|---|"
for r in "${recognizers[@]}"; do
  "$build/mcuface" info "$build/models/$r$suffix.mfm" | awk -v name="$r" -F': *' '
    /^ops/ {ops=$2} /^parameters/ {p=$2} /^weight bytes/ {w=$2} /^MACs/ {m=$2} /^peak arena/ {split($2, a, " "); arena=a[1]}
    END {printf "| %s | %s | %s | %s | %s | %s |\n", name, ops, p, w, m, arena}'
done
