#!/usr/bin/env bash
# The test suite, as CI runs it on a fresh machine:
#  1. the Release build and every test (fixtures come from PyTorch at test time);
#  2. the same tests under AddressSanitizer + UndefinedBehaviorSanitizer;
#  3. the portable core compiled for the Cortex-M55 (no host-only calls);
#  4. the Cortex-M55 firmware on QEMU mps3-an547 (reference and Helium builds):
#     the whole pipeline's report must match the host's; the Helium int8
#     kernels and whole int8 models on the Helium executor must match the
#     reference byte for byte (docs/M55.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
jobs=$(nproc)

echo "== release build and tests"
BUILD_DIR=build scripts/build.sh
(cd build && ctest --output-on-failure -j"$jobs")

echo "== sanitizer build and tests (ASan + UBSan)"
# the converted models are the same files: reuse them (copied with their times,
# so the converter finds them up to date) instead of converting twice
mkdir -p build-asan && rm -rf build-asan/models && cp -a build/models build-asan/models
BUILD_DIR=build-asan scripts/build.sh -DMF_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd build-asan && ctest --output-on-failure -j"$jobs" -LE slow)

echo "== Cortex-M55 compile of the portable core"
scripts/check_m55_compile.sh

echo "== Cortex-M55 firmware on QEMU (pipeline report vs host)"
scripts/build_m55.sh
scripts/run_m55.sh
scripts/test_m55_kernels.sh # Helium int8 kernels vs reference, bit for bit (about 3 s)
scripts/test_m55_soft_crypto.sh # portable AES-256-GCM store hook, known answers on the target (about 1 s)
scripts/test_m55_graph.sh   # whole int8 models, reference and Helium executors vs host, byte for byte (five models, about 15 s)
scripts/test_m55_math.sh    # mf_expf / mf_erff / mf_tanhf: same bits on host and M55 (about 2 s)
