#!/usr/bin/env bash
# mf_expf / mf_erff / mf_tanhf give the same bits on the host (gcc, x86) and
# on the Cortex-M55 (arm-none-eabi-gcc + newlib, QEMU mps3-an547): both run
# tests/m55/math_digest.c and their digests must be equal. Exit 0 when equal.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build-m55/kernels
cmake -S tests/m55 -B "$out" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi-m55.cmake" >/dev/null
cmake --build "$out" --target math_digest_m55.elf >"$out/math_build.log" 2>&1 || { cat "$out/math_build.log" >&2; exit 2; }
cc -std=c11 -O2 -Wall -Wextra -Werror -Isrc tests/m55/math_digest.c src/nn/ops/ref/mf_math.c -o "$out/math_digest_host"
host=$("$out/math_digest_host")
m55=$(timeout "${MF_M55_MATH_TIMEOUT:-600}" qemu-system-arm -M mps3-an547 -nographic \
  -semihosting-config enable=on,target=native -kernel "$out/math_digest_m55.elf" | tr -d '\r')
echo "host: $host"
echo "m55:  $m55"
if [ "$host" = "$m55" ]; then echo "test_m55_math: identical"; else echo "test_m55_math: differ" >&2; exit 1; fi
