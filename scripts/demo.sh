#!/usr/bin/env bash
# The main job: builds everything, converts the models, and detects faces in
# the sample photos, writing annotated copies to build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
BUILD_DIR=build scripts/build.sh
data=${MCUFACE_DATA:-../shared/data}
mkdir -p build/demo
for img in "$data"/multiface/*.jpg; do
  name=$(basename "$img" .jpg)
  build/mcuface detect "$img" -o "build/demo/$name.png"
done
echo "annotated images: build/demo/*.png"
