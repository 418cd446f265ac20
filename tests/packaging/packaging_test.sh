#!/usr/bin/env bash
# Installs the build into a temporary prefix, then builds the consumer
# project (tests/packaging/consumer) against it twice: with find_package(mcuface)
# and with `pkg-config --cflags --libs mcuface`; runs both. With a model file
# the consumer's op count must equal `mcuface info`'s.
# Usage: packaging_test.sh BUILD_DIR SOURCE_DIR [EXTRA_C_FLAGS]
set -euo pipefail
build=$1 source=$2 flags=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in lib/libmcuface_core.a lib/libmcuface_posix.a lib/libmcuface_soft_crypto.a lib/pkgconfig/mcuface.pc \
         lib/cmake/mcuface/mcufaceConfig.cmake lib/cmake/mcuface/mcufaceConfigVersion.cmake \
         include/mcuface/mf_model.h include/mcuface/mf_version.h include/mcuface/mf_flash_file.h \
         include/mcuface/mf_crypto_mbedtls.h include/mcuface/mf_posix_file.h; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
# nothing private leaks into the install
if find "$prefix/include" -name '*.h' | xargs grep -l '#include "\(nn\|vision\|face\|store\)/' | grep .; then
  echo "FAIL: an installed header includes a private one"; exit 1
fi
want=$(sed -n 's/^#define MF_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)$/\2/p' "$source/include/mcuface/mf_version.h" | paste -sd.)
pc_version=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --modversion mcuface)
[ "$pc_version" = "$want" ] || { echo "FAIL: mcuface.pc version $pc_version, header $want"; exit 1; }
echo "ok   installed into a temporary prefix; mcuface.pc version $pc_version"

model=$build/models/retinaface_mnet025.mfm
args=()
[ -e "$model" ] && args=("$model")

cmake -S "$source/tests/packaging/consumer" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
cmake --build "$tmp/consumer" >/dev/null
out_cmake=$("$tmp/consumer/consumer" "${args[@]}")
echo "ok   find_package(mcuface) consumer: $(echo "$out_cmake" | tr '\n' ' ')"

# shellcheck disable=SC2046,SC2086
cc -std=c11 -Wall -Wextra -Werror $flags "$source/tests/packaging/consumer/consumer.c" -o "$tmp/consumer_pc" \
   $(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs mcuface)
out_pc=$("$tmp/consumer_pc" "${args[@]}")
echo "ok   pkg-config consumer: $(echo "$out_pc" | tr '\n' ' ')"

[ "$(echo "$out_cmake" | head -1)" = "mcuface $want" ] || { echo "FAIL: consumer reports $(echo "$out_cmake" | head -1)"; exit 1; }
[ "$out_cmake" = "$out_pc" ] || { echo "FAIL: the two consumers differ"; exit 1; }
if [ -e "$model" ]; then
  info_ops=$("$build/mcuface" info "$model" --input 320x240 | sed -n 's/^ops: *//p')
  consumer_ops=$(echo "$out_cmake" | sed -n 's/^ops: //p')
  [ -n "$info_ops" ] && [ "$info_ops" = "$consumer_ops" ] ||
    { echo "FAIL: consumer counts $consumer_ops ops, mcuface info $info_ops"; exit 1; }
  echo "ok   op count $consumer_ops equals mcuface info's"
else
  echo "note: no $model: the op-count check was skipped"
fi
