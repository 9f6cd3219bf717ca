#!/usr/bin/env bash
# Regenerates tests/golden/<example>/*.layout.txt from the current build after an
# intended layout change; review `git diff tests/golden` before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build --target vanban -j"$(nproc)"
VANBAN_UPDATE_GOLDEN=1 python3 tests/e2e/test_golden.py build/vanban "$PWD" build/golden-update
