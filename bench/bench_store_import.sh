#!/bin/sh
# Builds (Release) and runs the import scaling benchmark.
# Usage: bench/bench_store_import.sh [N, default 6000] [build-dir]
set -e
cd "$(dirname "$0")/.."
BUILD=${2:-build}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" --target bench_store_import -j2 >/dev/null
"$BUILD/bench_store_import" "${1:-6000}"
