#!/usr/bin/env bash
# The main job: builds everything, converts the models, then on real photos
#  1. detects faces in the sample photos, writing annotated copies to build/demo/;
#  2. enrolls four people into an encrypted store (build/demo/demo.db) and
#     identifies other photos of them, two people never enrolled, and the
#     printed-photo attacks and live shots of antispoof_samples: names out.
# Models run at the CLI's default precision (int8); MCUFACE_PRECISION=float32
# runs the float32 models instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
BUILD_DIR=build scripts/build.sh
data=${MCUFACE_DATA:-../shared/data}
precision=${MCUFACE_PRECISION:-int8}
mf() { build/mcuface "$@" --precision "$precision"; }
mkdir -p build/demo
for img in "$data"/multiface/*.jpg; do
  name=$(basename "$img" .jpg)
  mf detect "$img" -o "build/demo/$name.png" >/dev/null
done
echo "detection: annotated images in build/demo/*.png"

# Enrollment from stored photos (not a live camera), so liveness is not asked
# of them; identification checks liveness on every face.
lfw=$data/lfw/lfw-deepfunneled
db=build/demo/demo.db
export MCUFACE_KEY_FILE=build/demo/demo.key
rm -f "$db" "$MCUFACE_KEY_FILE"
build/mcuface db --db "$db" init --sectors 8 >/dev/null
enroll() { mf db --db "$db" enroll "$1" "${@:2}" --no-liveness >/dev/null; }
enroll "Colin Powell" "$lfw/Colin_Powell/Colin_Powell_0040.jpg" "$lfw/Colin_Powell/Colin_Powell_0095.jpg"
enroll "Serena Williams" "$lfw/Serena_Williams/Serena_Williams_0001.jpg" "$lfw/Serena_Williams/Serena_Williams_0003.jpg"
enroll "George W Bush" "$lfw/George_W_Bush/George_W_Bush_0007.jpg" "$lfw/George_W_Bush/George_W_Bush_0016.jpg"
enroll "Gerhard Schroeder" "$lfw/Gerhard_Schroeder/Gerhard_Schroeder_0005.jpg" "$lfw/Gerhard_Schroeder/Gerhard_Schroeder_0017.jpg"
echo "enrolled ($db):"
build/mcuface db --db "$db" list

probes=(
  "Colin Powell=$lfw/Colin_Powell/Colin_Powell_0133.jpg"
  "Serena Williams=$lfw/Serena_Williams/Serena_Williams_0032.jpg"
  "George W Bush=$lfw/George_W_Bush/George_W_Bush_0145.jpg"
  "Gerhard Schroeder=$lfw/Gerhard_Schroeder/Gerhard_Schroeder_0025.jpg"
  "unknown=$lfw/Tony_Blair/Tony_Blair_0018.jpg"
  "unknown=$lfw/Ariel_Sharon/Ariel_Sharon_0016.jpg"
  "unknown=$data/antispoof_samples/image_T1.jpg"
  "unknown=$data/antispoof_samples/image_T2.jpg"
  "spoof=$data/antispoof_samples/image_F1.jpg"
  "spoof=$data/antispoof_samples/image_F2.jpg"
)
report=build/demo/identify.txt
{
  printf '%-26s %-18s %-18s %-7s %s\n' photo expected result score live_score
  right=0
  for p in "${probes[@]}"; do
    expected=${p%%=*} path=${p#*=}
    json=$(mf identify --db "$db" "$path" --json)
    line=$(python3 - "$json" "$expected" "$(basename "$path")" <<'PY'
import json, sys
faces = json.loads(sys.argv[1])["faces"]
expected, photo = sys.argv[2], sys.argv[3]
if not faces:
    print(f"{photo:<26} {expected:<18} {'no face':<18}"); sys.exit(1)
f = max(faces, key=lambda f: (f["box"][2] - f["box"][0]) * (f["box"][3] - f["box"][1]))  # largest face
got = "spoof" if f["live"] is False else (f["name"] or "unknown")
score = "" if f["score"] is None else f"{f['score']:.3f}"
print(f"{photo:<26} {expected:<18} {got:<18} {score:<7} {f['live_score']:.3f}")
sys.exit(0 if got == expected else 1)
PY
    ) && right=$((right + 1)) || true
    echo "$line"
  done
  echo "$right of ${#probes[@]} as expected (precision $precision)"
} | tee "$report"
