#!/usr/bin/env bash
# Builds the Cortex-M55 firmware for QEMU mps3-an547 into build-m55/:
#   build-m55/host/mcuface-fwref   host reference (tools/fwref), also converts the test photos
#   build-m55/images/NAME_WxH.rgb  raw RGB888 test images (long side 320), made here, never committed
#   build-m55/firmware.elf         the firmware (port/an547), model + images linked into QSPI
#   build-m55/insn_count.so        the QEMU TCG instruction-counting plugin (bench/qemu_plugin)
# The model comes from scripts/build.sh (BUILD_DIR, default build/models); it is built if missing.
# Environment: MF_DATA_DIR (default ../shared/data), MF_M55_IMAGES (photos of
# $MF_DATA_DIR/multiface, default "13 15"), MF_M55_SIDE (default 320).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build-m55
model=$root/${BUILD_DIR:-build}/models/retinaface_mnet025.mfm
data=${MF_DATA_DIR:-$root/../shared/data}
photos=${MF_M55_IMAGES:-13 15}
side=${MF_M55_SIDE:-320}

if [ ! -f "$model" ]; then
  echo "build_m55: $model missing, running scripts/build.sh"
  scripts/build.sh
fi

echo "== host reference"
cmake -S tools/fwref -B "$out/host" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$out/host" -j"$(nproc)" >/dev/null

echo "== test images"
rm -rf "$out/images"
mkdir -p "$out/images"
images=()
for p in $photos; do
  images+=("$("$out/host/mcuface-fwref" prepare "$data/multiface/$p.jpg" "$out/images" "multiface$p" "$side")")
done
printf '  %s\n' "${images[@]}"

echo "== firmware"
list=$(IFS=';'; echo "${images[*]}")
cmake -S port/an547 -B "$out/fw" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi-m55.cmake" \
  -DMF_FW_MODEL="$model" -DMF_FW_IMAGES="$list" >/dev/null
cmake --build "$out/fw" -j"$(nproc)" 2>&1 | grep -v '^\[' || true
test -f "$out/fw/firmware.elf"
cp "$out/fw/firmware.elf" "$out/firmware.elf"
printf '%s\n' "${images[@]}" >"$out/images.txt"
echo "$model" >"$out/model.txt"

echo "== instruction-count plugin"
cc -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden \
  -o "$out/insn_count.so" bench/qemu_plugin/insn_count.c
arm-none-eabi-size "$out/firmware.elf"
