#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build-fuzz/ and runs each for a while over its
# seed corpus (the engine's golden test files). Crashes are saved under build-fuzz/crashes/;
# turn each into a regression case in the engine's testdata/.
# Usage: scripts/run_fuzzers.sh [SECONDS_PER_FUZZER]   (default 30; `make fuzz`)
#        scripts/run_fuzzers.sh --smoke                 (seeded, at most 20,000 runs or 20 s each:
#                                                        the short run `make test` does)
set -euo pipefail
seconds=${1:-30}
limit=(-max_total_time="$seconds")
if [ "$seconds" = "--smoke" ]; then
  limit=(-runs=20000 -max_total_time=20 -seed=1)
  seconds="at most 20000 runs or 20 s"
fi
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz: clang++ is not installed (apt-get install clang); skipped"
  exit 0
fi
cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSQLMILL_BUILD_BENCHMARKS=OFF -DSQLMILL_WITH_SQL_PARSER=ON -DSQLMILL_WITH_DBT_COMPILER=ON \
  -DSQLMILL_WITH_SCHEMA_VALIDATOR=OFF >/dev/null
# name → seed directories (':'-separated; each one's fuzz_regressions/ and fuzz.dict are used too)
declare -A fuzzers=(
  [jinja_fuzzer]=services/dbt_compiler/jinja/testdata
  [parser_fuzzer]=services/sql_parser/testdata
  [tar_fuzzer]=services/dbt_compiler/engine/testdata/fuzz_tar
  [yaml_fuzzer]=services/dbt_compiler/engine/testdata/fuzz_yaml:examples/dbt/retail_analytics
)
# name → max input length (archives need room for their 512-byte blocks)
declare -A max_len=([tar_fuzzer]=65536)
mkdir -p build-fuzz/crashes
targets=$(ninja -C build-fuzz -t targets all 2>/dev/null | sed -n 's/^\([A-Za-z0-9_]*\): phony$/\1/p')
status=0
for name in "${!fuzzers[@]}"; do
  # (Read the whole list first: `grep -q` closing the pipe early would fail it under pipefail.)
  if ! grep -qx "$name" <<<"$targets"; then
    echo "fuzz: building $name failed: no such target in build-fuzz/"
    status=1
    continue
  fi
  ninja -C build-fuzz "$name" >/dev/null || { echo "fuzz: building $name failed"; status=1; continue; }
  binary=$(find build-fuzz -type f -name "$name" -perm -u+x | head -1)
  corpus=$(mktemp -d)
  dict=()
  IFS=: read -ra seed_dirs <<<"${fuzzers[$name]}"
  for dir in "${seed_dirs[@]}"; do
    find "$dir" -maxdepth 1 -type f ! -name fuzz.dict -exec cp {} "$corpus"/ \; 2>/dev/null || true
    cp "$dir"/fuzz_regressions/* "$corpus"/ 2>/dev/null || true
    if [ -f "$dir/fuzz.dict" ]; then dict=(-dict="$dir/fuzz.dict"); fi
  done
  echo "fuzz: $name for ${seconds}"
  if ! "$binary" "${limit[@]}" "${dict[@]}" -rss_limit_mb=2048 -max_len="${max_len[$name]:-8192}" \
       -artifact_prefix="build-fuzz/crashes/$name-" "$corpus" >"build-fuzz/$name.log" 2>&1; then
    echo "fuzz: $name FOUND A CRASH (see build-fuzz/$name.log and build-fuzz/crashes/)"
    tail -30 "build-fuzz/$name.log"
    status=1
  else
    grep -E "^Done [0-9]+ runs" "build-fuzz/$name.log" || true
  fi
  rm -rf "$corpus"
done
exit $status
