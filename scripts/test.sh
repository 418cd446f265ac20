#!/usr/bin/env bash
# The test suite, as CI runs it on a fresh machine:
#  1. the Release build and every test (fixtures come from PyTorch at test time);
#  2. the same tests under AddressSanitizer + UndefinedBehaviorSanitizer;
#  3. the portable core compiled for the Cortex-M55 (no host-only calls).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
jobs=$(nproc)

echo "== release build and tests"
BUILD_DIR=build scripts/build.sh
(cd build && ctest --output-on-failure -j"$jobs")

echo "== sanitizer build and tests (ASan + UBSan)"
BUILD_DIR=build-asan scripts/build.sh -DMF_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd build-asan && ctest --output-on-failure -j"$jobs" -LE slow)

echo "== Cortex-M55 compile of the portable core"
scripts/check_m55_compile.sh
