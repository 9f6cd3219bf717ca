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
# Template examples: every template of the folder (a JSON file with a top-level
# "template" member) filled from its data file, one document per record (or
# one from all records), incrementally into out/<example>/.
for tpl in examples/*/template.json; do
  dir=$(dirname "$tpl")
  name=$(basename "$dir")
  data="$dir/data.csv"
  [[ -f "$data" ]] || data="$dir/data.json"
  mapfile -t templates < <(grep -l '^  "template"' "$dir"/*.json)
  ./build/vanban batch "${templates[@]}" --data "$data" -o "out/$name" --quiet || status=1
done
exit $status
