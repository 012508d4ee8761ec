"""Benchmark: `sqlmill batch` over the whole corpus estate (../shared/corpus/mssql, read in
place: one unit per database) for two targets (snowflake, postgres).

  1. wall time of the whole command at --jobs 1 and --jobs 2 (median of --runs, a fresh
     output folder each run) and the scaling ratio jobs1/jobs2;
  2. per-unit time in-process (the CLI path) beside --server (a sqlmill-server started on a
     free loopback port), both at --jobs 1: the mean of the per-unit `seconds` the run prints
     as JSON lines (parse, validate, scaffold, compile and file writes of one unit), over
     every unit of every run, and the wall time.

It prints figures, never pass/fail.

  /usr/bin/python3 bench/batch/batch_bench.py [--build build] [--runs 3]
"""

import argparse
import json
import os
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus", "mssql"))
TARGETS = ("snowflake", "postgres")


def run_batch(sqlmill, extra):
    """Runs one batch into a fresh folder; returns (wall seconds, {unit: seconds}, {unit: status})."""
    out = tempfile.mkdtemp(prefix="batch-bench-")
    try:
        args = [sqlmill, "batch", CORPUS, "--out", out, *[a for t in TARGETS for a in ("--target", t)], *extra]
        env = {k: v for k, v in os.environ.items() if k not in ("JOB_COMPLETION_INDEX", "SQLMILL_SHARD_COUNT")}
        start = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=600)
        wall = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            sys.exit(f"sqlmill batch {' '.join(extra)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
        lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
        return wall, {line["unit"]: line["seconds"] for line in lines}, {line["unit"]: line["status"] for line in lines}
    finally:
        shutil.rmtree(out, ignore_errors=True)


def start_server(binary):
    """Starts sqlmill-server on free loopback ports; returns (process, address)."""
    proc = subprocess.Popen([binary, "--host=127.0.0.1", "--port=0", "--admin_port=0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"sqlmill-server exited with {proc.returncode} before it was ready")
        ready, _, _ = select.select([proc.stdout], [], [], 0.1)
        if ready:
            match = re.search(r"listening on ([\d.]+:\d+)", proc.stdout.readline())
            if match:
                return proc, match.group(1)
    proc.kill()
    sys.exit("sqlmill-server was not ready within 30 s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not os.path.isdir(CORPUS):
        sys.exit(f"{CORPUS} is absent (../shared is not beside this clone): nothing to measure")
    sqlmill = os.path.join(args.build, "bin", "sqlmill")
    server_binary = os.path.join(args.build, "bin", "sqlmill-server")
    for path in (sqlmill, server_binary):
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: build the project first (make build)")

    files = sizes = 0
    for dirpath, _, names in os.walk(CORPUS):
        for n in names:
            if n.lower().endswith(".sql"):
                files += 1
                sizes += os.path.getsize(os.path.join(dirpath, n))
    run_batch(sqlmill, ["--jobs", "1"])  # warm the page cache
    rows, per_unit, statuses, by_unit = {}, {}, None, {}
    for label, extra in (("in-process --jobs 1", ["--jobs", "1"]), ("in-process --jobs 2", ["--jobs", "2"])):
        walls, units = [], []
        for _ in range(args.runs):
            wall, seconds, statuses = run_batch(sqlmill, extra)
            walls.append(wall)
            units += seconds.values()
            if extra == ["--jobs", "1"]:
                for unit, t in seconds.items():
                    by_unit.setdefault(unit, []).append(t)
        rows[label] = walls
        per_unit[label] = units

    server, address = start_server(server_binary)
    try:
        label = f"--server {address} --jobs 1"
        walls, units = [], []
        for _ in range(args.runs):
            wall, seconds, _ = run_batch(sqlmill, ["--jobs", "1", "--server", address])
            walls.append(wall)
            units += seconds.values()
        rows["--server --jobs 1"] = walls
        per_unit["--server --jobs 1"] = units
    finally:
        server.kill()
        server.wait(timeout=10)

    n_units = len(statuses)
    by_status = {s: sum(1 for v in statuses.values() if v == s) for s in sorted(set(statuses.values()))}
    print(f"sqlmill batch over {CORPUS}: {n_units} units, {files} files, {sizes:,} bytes; targets "
          f"{', '.join(TARGETS)}; median of {args.runs} runs, fresh --out each run; {os.cpu_count()} cores")
    print(f"  unit statuses: {', '.join(f'{k} {v}' for k, v in by_status.items())}")
    print()
    print(f"  {'run':<22} {'wall (median)':>14} {'min':>9} {'max':>9} {'mean per unit':>14}")
    for label, walls in rows.items():
        mean_unit = statistics.mean(per_unit[label]) if per_unit[label] else 0.0
        print(f"  {label:<22} {statistics.median(walls) * 1000:11.1f} ms {min(walls) * 1000:6.1f} ms "
              f"{max(walls) * 1000:6.1f} ms {mean_unit * 1000:11.1f} ms")
    j1, j2 = statistics.median(rows["in-process --jobs 1"]), statistics.median(rows["in-process --jobs 2"])
    local = statistics.mean(per_unit["in-process --jobs 1"])
    remote = statistics.mean(per_unit["--server --jobs 1"])
    print()
    unit_medians = {u: statistics.median(t) for u, t in by_unit.items()}
    largest = max(unit_medians, key=unit_medians.get)
    work = sum(unit_medians.values())
    print(f"  scaling --jobs 1 / --jobs 2: {j1 / j2:.2f}x; units' own time {work * 1000:.0f} ms, the largest "
          f"({largest}) {unit_medians[largest] * 1000:.0f} ms, so 2 jobs cannot beat "
          f"{max(work / 2, unit_medians[largest]) * 1000:.0f} ms + process start")
    print(f"  per unit, --server beside in-process: {remote * 1000:.1f} ms vs {local * 1000:.1f} ms "
          f"({(remote - local) * 1000:+.1f} ms, {remote / local:.2f}x); in-process scaffolds on one thread "
          f"per unit, the server on its worker pool")


if __name__ == "__main__":
    main()
