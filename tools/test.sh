#!/usr/bin/env bash
# Builds vanban with its tests and runs the whole suite (unit + end-to-end),
# then the sanitized build: the unit tests under ASan and UBSan, every fuzzing
# corpus replayed through its harness, and a short fuzzing run per harness
# (VANBAN_FUZZ_SECONDS each, default 30; 0 skips the runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh --test
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DVANBAN_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)"
(cd build && ctest --output-on-failure -j"$(nproc)")

# ---- sanitized build: ASan + UBSan, libFuzzer harnesses (tests/fuzz/) -------
cmake -S . -B build-asan -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DVANBAN_TESTS=ON -DVANBAN_FUZZ=ON >/dev/null
cmake --build build-asan -j"$(nproc)"
(cd build-asan && ctest --output-on-failure -j"$(nproc)" -R '^unit_')

harnesses=(document body annex template data)
declare -A max_len=([document]=4096 [body]=8192 [annex]=8192 [template]=8192 [data]=8192)
fuzz_seconds=${VANBAN_FUZZ_SECONDS:-30}
# Crashes are kept in build-asan/fuzz-artifacts/; fuzzing runs on a copy of
# each corpus, never on the repository's.
artifacts=build-asan/fuzz-artifacts
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$artifacts" && mkdir -p "$artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for h in "${harnesses[@]}"; do
  echo "fuzz_$h: replaying tests/fuzz/corpus/$h"
  build-asan/tests/fuzz/fuzz_$h -runs=0 -timeout=20 -rss_limit_mb=2048 \
      -artifact_prefix="$artifacts/$h-" tests/fuzz/corpus/$h 2>"$work/$h.replay.log" \
    || { tail -n 60 "$work/$h.replay.log"; echo "fuzz_$h: the corpus replay failed" >&2; exit 1; }
done
if ((fuzz_seconds > 0)); then
  for h in "${harnesses[@]}"; do
    echo "fuzz_$h: fuzzing for ${fuzz_seconds}s"
    cp -r tests/fuzz/corpus/$h "$work/corpus-$h"
    build-asan/tests/fuzz/fuzz_$h -max_total_time="$fuzz_seconds" -max_len="${max_len[$h]}" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$h-" "$work/corpus-$h" \
        2>"$work/$h.fuzz.log" \
      || { tail -n 60 "$work/$h.fuzz.log"; echo "fuzz_$h: finding kept in $artifacts/" >&2; exit 1; }
  done
fi
