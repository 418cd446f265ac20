#!/bin/sh
# Builds (Release) and runs the store benchmark. Usage: bench/run_bench_store.sh [build-dir]
set -e
cd "$(dirname "$0")/.."
BUILD=${1:-build}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" --target bench_store -j2 >/dev/null
"$BUILD/bench_store"
