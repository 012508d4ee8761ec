#!/usr/bin/env bash
# `make bench`: runs every benchmark driver found under bench/ (bench/*_bench.sh,
# bench/*_bench.py and the load benchmark bench/load/run_load.py), each of which measures sqlmill beside its peer in the same run.
# Usage: scripts/run_bench.sh BUILD_DIR
set -euo pipefail
build_dir=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
found=0
for driver in bench/*_bench.sh bench/*_bench.py bench/load/run_load.py; do
  [ -e "$driver" ] || continue
  found=1
  echo "== $driver"
  case "$driver" in
    *.sh) SQLMILL_BUILD_DIR="$build_dir" bash "$driver" ;;
    *.py) SQLMILL_BUILD_DIR="$build_dir" /usr/bin/python3 "$driver" ;;
  esac
done
[ "$found" = 1 ] || echo "no benchmark drivers under bench/ yet"
