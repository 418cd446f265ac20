#!/usr/bin/env bash
# Builds the Cortex-M55 firmware for QEMU mps3-an547 into build-m55/:
#   build-m55/host/mcuface-fwref   host reference (tools/fwref), also converts the test photos
#   build-m55/images/NAME_WxH.rgb  raw RGB888 test images fitted to a 320x240 frame, made here, never committed
#   build-m55/firmware.elf         the firmware (port/an547): reference C kernels (MF_M55_MVE=OFF)
#   build-m55/firmware_mve.elf     the same with MF_M55_MVE=ON (Helium kernels)
#   build-m55/insn_count.so        the QEMU TCG instruction-counting plugin (bench/qemu_plugin)
#   build-m55/models.txt, images.txt, firmwares.txt   what run_m55.sh and m55_insn_count.sh use
# The firmware runs the whole pipeline: detect, liveness, align, embed, and
# enroll/match against a store on a RAM flash (port/an547/fw_report.c).
# Models come from scripts/build.sh (BUILD_DIR, default build; built if missing).
# Environment:
#   MF_M55_DETECTOR    detector model name in $BUILD_DIR/models (default retinaface_mnet025_int8)
#   MF_M55_LIVENESS    one or two liveness model names (default "minifasnet_v2_int8 minifasnet_v1se_int8")
#   MF_M55_RECOGNIZER  recognizer model name (default edgeface_xs_gamma_06_int8)
#   MF_DATA_DIR        default ../shared/data
#   MF_M55_IMAGES      "NAME=PATH ..." (PATH under MF_DATA_DIR, NAME enroll-IDENTITY or probe-LABEL)
#   MF_M55_VARIANTS    firmware builds, default "ref mve" (mve: -DMF_M55_MVE=ON)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build-m55
models=$root/${BUILD_DIR:-build}/models
data=${MF_DATA_DIR:-$root/../shared/data}
detector=${MF_M55_DETECTOR:-retinaface_mnet025_int8}
liveness=${MF_M55_LIVENESS:-minifasnet_v2_int8 minifasnet_v1se_int8}
recognizer=${MF_M55_RECOGNIZER:-edgeface_xs_gamma_06_int8}
lfw=lfw/lfw-deepfunneled
# Two identities enrolled; probes: the same person again (accept), someone
# not enrolled (reject), a printed photo (spoof). Each has one face at 320x240.
default_images="enroll-Colin_Powell=$lfw/Colin_Powell/Colin_Powell_0071.jpg
enroll-Serena_Williams=$lfw/Serena_Williams/Serena_Williams_0001.jpg
probe-Serena_Williams_0003=$lfw/Serena_Williams/Serena_Williams_0003.jpg
probe-Tony_Blair_0018=$lfw/Tony_Blair/Tony_Blair_0018.jpg
probe-spoof_F2=antispoof_samples/image_F2.jpg"
images_spec=${MF_M55_IMAGES:-$default_images}
variants=${MF_M55_VARIANTS:-ref mve}

model_files=("$models/$detector.mfm")
for m in $liveness; do model_files+=("$models/$m.mfm"); done
model_files+=("$models/$recognizer.mfm")
for f in "${model_files[@]}"; do
  if [ ! -f "$f" ]; then
    echo "build_m55: $f missing, running scripts/build.sh"
    scripts/build.sh
    break
  fi
done
for f in "${model_files[@]}"; do [ -f "$f" ] || { echo "build_m55: no model $f" >&2; exit 1; }; done
liveness_files=("${model_files[@]:1:${#model_files[@]}-2}")

echo "== host reference"
cmake -S tools/fwref -B "$out/host" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$out/host" -j"$(nproc)" >/dev/null

echo "== test images (fitted to 320x240, either orientation)"
rm -rf "$out/images"
mkdir -p "$out/images"
images=()
for spec in $images_spec; do
  images+=("$("$out/host/mcuface-fwref" prepare "$data/${spec#*=}" "$out/images" "${spec%%=*}" 320 240)")
done
printf '  %s\n' "${images[@]}"

list=$(IFS=';'; echo "${images[*]}")
lv_list=$(IFS=';'; echo "${liveness_files[*]}")
: >"$out/firmwares.txt"
for variant in $variants; do
  case $variant in
    ref) mve=OFF; elf=firmware.elf ;;
    mve) mve=ON; elf=firmware_mve.elf ;;
    *) echo "build_m55: unknown variant $variant (ref, mve)" >&2; exit 1 ;;
  esac
  echo "== firmware $elf (MF_M55_MVE=$mve)"
  cmake -S port/an547 -B "$out/fw-$variant" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi-m55.cmake" \
    -DMF_FW_DETECTOR="${model_files[0]}" -DMF_FW_LIVENESS="$lv_list" -DMF_FW_RECOGNIZER="${model_files[-1]}" \
    -DMF_FW_IMAGES="$list" -DMF_M55_MVE=$mve | grep -E "models:" || true
  cmake --build "$out/fw-$variant" -j"$(nproc)" 2>&1 | grep -v '^\[' || true
  test -f "$out/fw-$variant/firmware.elf"
  cp "$out/fw-$variant/firmware.elf" "$out/$elf"
  echo "$elf" >>"$out/firmwares.txt"
  arm-none-eabi-size "$out/$elf"
done
printf '%s\n' "${images[@]}" >"$out/images.txt"
printf '%s\n' "${model_files[0]}" "$(IFS=,; echo "${liveness_files[*]}")" "${model_files[-1]}" >"$out/models.txt"

echo "== instruction-count plugin"
cc -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden \
  -o "$out/insn_count.so" bench/qemu_plugin/insn_count.c
