#!/usr/bin/env bash
# Whole int8 models on the Cortex-M55 (QEMU mps3-an547) with the reference
# kernels and with the Helium executor, each compared byte for byte with the
# host build's reference-kernel outputs (tests/m55_graph). Cases:
#   tiny_int8                  tools/fixtures/make_tiny_int8_model.py (every int8 op kind)
#   retinaface_mnet025_int8    build/models/, on multiface photo MF_M55_GRAPH_IMAGE
#                              (default 15) at long side MF_M55_GRAPH_SIDE (default 320: 320x240),
#                              quantized on the host exactly as mf_detect does
#   yunet_int8                 build/models/, the same photo and side (320x240 padded to
#                              320x256), quantized and padded as mf_detect does
#   minifasnet_v2_int8,        build/models/ (the liveness pair), on antispoof sample
#   minifasnet_v1se_int8       MF_M55_GRAPH_FACE (default image_T1): its central square
#                              resized to 80x80, converted on the host as mf_liveness_check does
#   edgeface_xs_gamma_06_int8  build/models/, the recognizer on the largest face of multiface photo
#                              MF_M55_GRAPH_EMBED_IMAGE (default 15), aligned to 112x112 by the
#                              host's mcuface align, converted on the host as mf_embed does
# Needs the host build (scripts/build.sh). Builds into build-m55/graph/.
# Exit status: 0 when both firmwares match the host, 1 on a mismatch, 2 on a
# build error, crash, fault (101-106) or timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build-m55/graph
data=$out/data
host=${BUILD_DIR:-build}
model=$host/models/retinaface_mnet025_int8.mfm
image=${MF_DATA_DIR:-../shared/data}/multiface/${MF_M55_GRAPH_IMAGE:-15}.jpg
face=${MF_DATA_DIR:-../shared/data}/antispoof_samples/${MF_M55_GRAPH_FACE:-image_T1}.jpg
mkdir -p "$data"

[ -f "$model" ] || { echo "test_m55_graph: $model missing (run scripts/build.sh)" >&2; exit 2; }
[ -f "$image" ] || { echo "test_m55_graph: $image missing (set MF_DATA_DIR)" >&2; exit 2; }
for live in minifasnet_v2_int8 minifasnet_v1se_int8; do
  [ -f "$host/models/$live.mfm" ] || { echo "test_m55_graph: $host/models/$live.mfm missing (run scripts/build.sh)" >&2; exit 2; }
done
[ -f "$face" ] || { echo "test_m55_graph: $face missing (set MF_DATA_DIR)" >&2; exit 2; }

# Host side: the reference tool against the host build's libraries (current sources).
cmake --build "$host" --target mcuface_posix -j"$(nproc)" >/dev/null
cc -std=c11 -O2 -Wall -Wextra -Werror -Iinclude -Isrc -Iport/posix tests/m55_graph/graph_ref_host.c \
  "$host/libmcuface_posix.a" "$host/libmcuface_core.a" -ljpeg -lpng16 -lm -o "$out/graph_ref_host"

/usr/bin/python3 tools/fixtures/make_tiny_int8_model.py "$out/tiny" >/dev/null
cp "$out/tiny/tiny_int8.mfm" "$data/tiny_int8.mfm"
cp "$out/tiny/tiny_int8_input.f32" "$data/tiny_int8.in"
tiny_dims=1x10x14x3
"$out/graph_ref_host" run "$data/tiny_int8.mfm" $tiny_dims "$data/tiny_int8.in" "$data/tiny_int8.out"

cp "$model" "$data/retinaface_mnet025_int8.mfm"
det_dims=$("$out/graph_ref_host" detector-input "$model" "$image" "${MF_M55_GRAPH_SIDE:-320}" \
  "$data/retinaface_mnet025_int8.in")
"$out/graph_ref_host" run "$model" "$det_dims" "$data/retinaface_mnet025_int8.in" "$data/retinaface_mnet025_int8.out"

cases="tiny_int8:$tiny_dims;retinaface_mnet025_int8:$det_dims"
yun=yunet_int8
[ -f "$host/models/$yun.mfm" ] || { echo "test_m55_graph: $host/models/$yun.mfm missing (run scripts/build.sh)" >&2; exit 2; }
cp "$host/models/$yun.mfm" "$data/$yun.mfm"
yun_dims=$("$out/graph_ref_host" detector-input "$data/$yun.mfm" "$image" "${MF_M55_GRAPH_SIDE:-320}" "$data/$yun.in")
"$out/graph_ref_host" run "$data/$yun.mfm" "$yun_dims" "$data/$yun.in" "$data/$yun.out"
cases+=";$yun:$yun_dims"
for live in minifasnet_v2_int8 minifasnet_v1se_int8; do
  cp "$host/models/$live.mfm" "$data/$live.mfm"
  live_dims=$("$out/graph_ref_host" liveness-input "$data/$live.mfm" "$face" "$data/$live.in")
  "$out/graph_ref_host" run "$data/$live.mfm" "$live_dims" "$data/$live.in" "$data/$live.out"
  cases+=";$live:$live_dims"
done
rec=edgeface_xs_gamma_06_int8
[ -f "$host/models/$rec.mfm" ] || { echo "test_m55_graph: $host/models/$rec.mfm missing (run scripts/build.sh)" >&2; exit 2; }
cp "$host/models/$rec.mfm" "$data/$rec.mfm"
cmake --build "$host" --target mcuface -j"$(nproc)" >/dev/null
"$host/mcuface" align "${MF_DATA_DIR:-../shared/data}/multiface/${MF_M55_GRAPH_EMBED_IMAGE:-15}.jpg" "$data/$rec.face.png" >/dev/null
rec_dims=$("$out/graph_ref_host" embed-input "$data/$rec.mfm" "$data/$rec.face.png" "$data/$rec.in")
"$out/graph_ref_host" run "$data/$rec.mfm" "$rec_dims" "$data/$rec.in" "$data/$rec.out"
cases+=";$rec:$rec_dims"
cmake -S tests/m55_graph -B "$out/fw" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi-m55.cmake" \
  -DMF_GRAPH_DATA="$data" -DMF_GRAPH_CASES="$cases" >/dev/null
cmake --build "$out/fw" -j"$(nproc)" --target graph_s8_m55_ref.elf graph_s8_m55_mve.elf >"$out/build.log" 2>&1 ||
  { cat "$out/build.log" >&2; exit 2; }

status=0
for kernels in ref mve; do
  set +e
  timeout "${MF_M55_GRAPH_TIMEOUT:-300}" qemu-system-arm -M mps3-an547 -nographic \
    -semihosting-config enable=on,target=native -kernel "$out/fw/graph_s8_m55_$kernels.elf" |
    tee "$out/graph_s8_m55_$kernels.txt"
  rc=${PIPESTATUS[0]}
  set -e
  case $rc in
    0) ;;
    1) echo "test_m55_graph: $kernels kernels: outputs differ from the host" >&2; [ $status -eq 2 ] || status=1 ;;
    *) echo "test_m55_graph: $kernels firmware failed (exit $rc)" >&2; status=2 ;;
  esac
done
[ $status -eq 0 ] && echo "test_m55_graph: reference and Helium executors match the host byte for byte"
exit $status
