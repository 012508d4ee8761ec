#!/usr/bin/env bash
# Runs every test against a built tree: the C++ tests through CTest (unit, golden,
# differential and corpus suites), then the end-to-end tests through pytest with the real
# binaries and Debian's Python gRPC client. Prints a closing "N passed, N failed" line.
# Usage: scripts/run_tests.sh BUILD_DIR
set -uo pipefail
build_dir=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ ! -d ../shared/corpus ]; then
  echo "note: ../shared/corpus is absent; corpus tests will report SKIPPED"
fi

ctest_log=$(mktemp)
(cd "$build_dir" && ctest --output-on-failure -j "$(nproc)" 2>&1) | tee "$ctest_log"
ctest_rc=${PIPESTATUS[0]}

pytest_log=$(mktemp)
SQLMILL_BUILD_DIR="$build_dir" /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/e2e tests/deploy 2>&1 \
  | tee "$pytest_log"
pytest_rc=${PIPESTATUS[0]}

# A short, seeded libFuzzer run of each fuzz target (built with clang in build-fuzz/).
fuzz_rc=0
fuzz_passed=0
fuzz_failed=0
if [ "${SQLMILL_SKIP_FUZZ:-0}" != 1 ]; then
  fuzz_log=$(mktemp)
  bash scripts/run_fuzzers.sh --smoke 2>&1 | tee "$fuzz_log"
  fuzz_rc=${PIPESTATUS[0]}
  fuzz_passed=$(grep -cE '^Done [0-9]+ runs' "$fuzz_log" || true)
  fuzz_failed=$(grep -cE 'FOUND A CRASH|building .* failed' "$fuzz_log" || true)
  rm -f "$fuzz_log"
fi

# Totals: CTest prints "N tests failed out of M"; pytest "N passed, M failed, K skipped".
ctest_total=$(grep -oE 'tests? failed out of [0-9]+' "$ctest_log" | grep -oE '[0-9]+$' || echo 0)
ctest_failed=$(grep -oE '[0-9]+ tests? failed out of' "$ctest_log" | grep -oE '^[0-9]+' || echo 0)
py_passed=$(grep -oE '[0-9]+ passed' "$pytest_log" | tail -1 | grep -oE '^[0-9]+' || echo 0)
py_failed=$(grep -E '(passed|failed|error)' "$pytest_log" | tail -1 | grep -oE '[0-9]+ (failed|errors?)' \
  | awk '{s += $1} END {print s + 0}')
py_skipped=$(grep -oE '[0-9]+ skipped' "$pytest_log" | tail -1 | grep -oE '^[0-9]+' || echo 0)
ctest_skipped=$(grep -cE '\(Skipped\)$' "$ctest_log" || true)
rm -f "$ctest_log" "$pytest_log"
passed=$(( ${ctest_total:-0} - ${ctest_failed:-0} - ${ctest_skipped:-0} + ${py_passed:-0} + fuzz_passed ))
failed=$(( ${ctest_failed:-0} + ${py_failed:-0} + fuzz_failed ))
echo
echo "ctest exit $ctest_rc, pytest exit $pytest_rc, fuzz smoke exit $fuzz_rc"
echo "sqlmill: $passed passed, $failed failed, $(( ${py_skipped:-0} + ${ctest_skipped:-0} )) skipped"
if [ "$ctest_rc" -ne 0 ] || [ "$pytest_rc" -ne 0 ] || [ "$fuzz_rc" -ne 0 ]; then exit 1; fi
exit 0
