#!/usr/bin/env bash
# Configures and builds BUILD_DIR (default build) and converts the models
# listed in models/manifest.json into BUILD_DIR/models. Extra arguments go
# to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
/usr/bin/python3 tools/convert/convert_all.py --out "$build/models"
