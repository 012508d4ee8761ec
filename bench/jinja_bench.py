#!/usr/bin/python3
"""Jinja engine benchmark: sqlmill's engine beside Jinja2 on the same dbt files, same run.

Parse = compile a template from source (Jinja2: Environment.from_string, i.e. lex + parse +
code generation + Python compile). Render = render an already compiled template. Both with
the dbt stand-ins of tests/jinja_differential/run.py. Prints per-pass times and ratios.

Usage: bench/jinja_bench.py --engine build/bin/jinja_benchmark [--iterations N]
Targets (issue #3): >= 20x Jinja2 on parse, >= 10x on render.
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "jinja_differential"))

import jinja2  # noqa: E402
import run as harness  # noqa: E402


def corpus_sets():
    base = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus", "dbt"))
    if not os.path.isdir(base):
        return None, base
    return {
        "dbt-utils macros": sorted(glob.glob(os.path.join(base, "dbt-utils", "macros", "**", "*.sql"), recursive=True)),
        "jaffle-shop models": sorted(glob.glob(os.path.join(base, "jaffle-shop", "models", "**", "*.sql"), recursive=True)),
    }, base


def jinja2_times(files, iterations):
    env = jinja2.Environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"] + harness.DBT_EXTENSIONS)
    harness.install_dbt_standins(env)
    sources = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            sources.append(fh.read().strip())
    compiled = [env.from_string(s) for s in sources]
    t0 = time.perf_counter()
    for _ in range(iterations):
        for s in sources:
            env.from_string(s)
    parse = (time.perf_counter() - t0) / iterations * 1e9
    t0 = time.perf_counter()
    for _ in range(iterations):
        for t in compiled:
            try:
                t.render()
            except Exception:  # noqa: BLE001 - counted like the C++ side
                pass
    render = (time.perf_counter() - t0) / iterations * 1e9
    return parse, render


def main():
    ap = argparse.ArgumentParser()
    default_engine = os.path.join(os.environ.get("SQLMILL_BUILD_DIR", "build"), "bin",
                                  "jinja_benchmark")
    ap.add_argument("--engine", default=default_engine)
    ap.add_argument("--iterations", type=int, default=20)
    args = ap.parse_args()
    sets, base = corpus_sets()
    if sets is None:
        print("SKIP: %s not found" % base)
        return 0
    print("%-20s %6s %8s | %12s %12s %7s | %12s %12s %7s" % (
        "set", "files", "bytes", "parse ours", "parse jinja2", "ratio", "render ours", "render jinja2", "ratio"))
    for name, files in sets.items():
        out = subprocess.run([args.engine, "--iterations", str(args.iterations)] + files,
                             capture_output=True, text=True, check=True)
        ours = json.loads(out.stdout)
        jp, jr = jinja2_times(files, max(1, args.iterations // 4))
        print("%-20s %6d %8d | %10.0fus %10.0fus %6.1fx | %10.0fus %10.0fus %6.1fx" % (
            name, ours["files"], ours["bytes"],
            ours["parse_ns_per_pass"] / 1e3, jp / 1e3, jp / ours["parse_ns_per_pass"],
            ours["render_ns_per_pass"] / 1e3, jr / 1e3, jr / ours["render_ns_per_pass"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
