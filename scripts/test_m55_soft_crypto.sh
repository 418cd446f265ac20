#!/usr/bin/env bash
# Builds tests/m55 into build-m55/kernels/ and runs soft_crypto_m55.elf (the
# portable AES-256-GCM store hook against published vectors) on QEMU
# mps3-an547. Exit status: 0 pass, 1 a check failed, 2 crash/fault/timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build-m55/kernels
cmake -S tests/m55 -B "$out" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi-m55.cmake" >/dev/null
cmake --build "$out" -j"$(nproc)" --target soft_crypto_m55.elf >"$out/build_soft_crypto.log" 2>&1 ||
  { cat "$out/build_soft_crypto.log" >&2; exit 2; }
set +e
timeout "${MF_M55_SOFT_CRYPTO_TIMEOUT:-120}" qemu-system-arm -M mps3-an547 -nographic \
  -semihosting-config enable=on,target=native -kernel "$out/soft_crypto_m55.elf"
rc=$?
set -e
case $rc in
  0) echo "test_m55_soft_crypto: AES-256-GCM known answers pass on the Cortex-M55" ;;
  1) echo "test_m55_soft_crypto: a check failed (see above)" >&2; exit 1 ;;
  *) echo "test_m55_soft_crypto: firmware failed (exit $rc)" >&2; exit 2 ;;
esac
