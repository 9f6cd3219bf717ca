#!/usr/bin/env bash
# Builds vanban with its tests and runs the whole suite (unit + end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh --test
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DVANBAN_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)"
cd build && ctest --output-on-failure -j"$(nproc)"
