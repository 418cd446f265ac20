#!/usr/bin/env bash
# Builds tests/m55 (the Helium int8 kernels against their references) into
# build-m55/kernels/ and runs kernels_s8_m55.elf on QEMU mps3-an547.
# Exit status: 0 when every twin matches bit for bit, 1 on a mismatch,
# 2 on a crash, fault (101-106) or timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build-m55/kernels
cmake -S tests/m55 -B "$out" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi-m55.cmake" >/dev/null
cmake --build "$out" -j"$(nproc)" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 2; }
set +e
timeout "${MF_M55_KERNELS_TIMEOUT:-300}" qemu-system-arm -M mps3-an547 -nographic \
  -semihosting-config enable=on,target=native -kernel "$out/kernels_s8_m55.elf" | tee "$out/kernels_s8_m55.txt"
rc=${PIPESTATUS[0]}
set -e
case $rc in
  0) echo "test_m55_kernels: all Helium twins match the reference" ;;
  1) echo "test_m55_kernels: mismatch (see above)" >&2; exit 1 ;;
  *) echo "test_m55_kernels: firmware failed (exit $rc)" >&2; exit 2 ;;
esac
