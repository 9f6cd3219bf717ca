#!/usr/bin/env bash
# Builds vanban and renders every shipped example into out/<example>/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DVANBAN_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target vanban
status=0
for doc in examples/*/document.json; do
  name=$(basename "$(dirname "$doc")")
  ./build/vanban render "$doc" -o "out/$name" || status=1
done
exit $status
