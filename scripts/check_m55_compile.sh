#!/usr/bin/env bash
# Compiles every file of the portable core with arm-none-eabi-gcc for the
# Cortex-M55 (Helium + FPU): a host-only call or header fails here. Also the
# portable ports (port/soft_crypto) the firmware links.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
count=0
# The file list is cmake/core_sources.cmake's, the one every build uses.
mapfile -t files < <(cmake -DMF_PRINT_SOURCES=ON -P cmake/core_sources.cmake 2>&1 >/dev/null)
[ "${#files[@]}" -gt 0 ] || { echo "check_m55_compile: no sources from cmake/core_sources.cmake" >&2; exit 1; }
for f in "${files[@]}"; do
  arm-none-eabi-gcc -mcpu=cortex-m55 -mthumb -mfloat-abi=hard -std=c11 -O2 -Wall -Wextra -Werror \
    -Iinclude -Isrc -Iport/soft_crypto -c "$f" -o "$out/$(echo "$f" | tr / _).o"
  count=$((count + 1))
done
# The firmware example, with the public headers only.
arm-none-eabi-gcc -mcpu=cortex-m55 -mthumb -mfloat-abi=hard -std=c11 -O2 -Wall -Wextra -Werror \
  -Iinclude -c examples/firmware_loop.c -o "$out/firmware_loop.o"
echo "cortex-m55: compiled $count core files and examples/firmware_loop.c"
