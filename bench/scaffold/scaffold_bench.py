"""Benchmark: `sqlmill migrate` (parse, validate, scaffold, compile, write) beside
python3-jinja2 rendering the same generated models, in the same run.

The peer is the floor a Python implementation of the scaffold could not beat: Jinja2 only
renders — (1) the staging models from a template, given the columns, casts and comments
already worked out (taken from our migration_report.json, so Python does no parsing, type
mapping or naming), and (2) what a compile renders: the generated models with `source()`
stubbed and one SQL statement per generated test (the same node count as our compile). It
parses no SQL or YAML and writes no files, YAML, tests or report. Our side is the whole command a pipeline
runs, process start and file writes included.

Inputs: the corpus schema with the most tables (../shared/corpus/mssql) and a generated
2,000-table schema (bench/memory/gen_script.py's "realistic" tables: 12 columns, a key,
defaults, a foreign key, a check, an index and a description each).

  /usr/bin/python3 bench/scaffold/scaffold_bench.py [--build build] [--runs 5] [--target snowflake]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import jinja2

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "bench", "memory"))
import gen_script  # noqa: E402

MODEL_TEMPLATE = """-- Staging model for SQL Server table {{ t.schema }}.{{ t.name }}.
with source as (

    select * from {{ '{{' }} source('{{ t.source }}', '{{ t.name }}') {{ '}}' }}

),

renamed as (

    select
{%- for c in t.columns %}
        {% if c.target_type %}cast({{ c.name }} as {{ c.target_type }}){% else %}{{ c.name }}{% endif %} as {{ c.model_name }}{% if not loop.last %},{% endif %}{% if c.loss != 'none' %}  -- {{ c.loss }}: {{ c.why }}{% endif %}
{%- endfor %}

    from source

)

select * from renamed
"""

TEST_TEMPLATES = {
    "unique": "select {{ c }} as unique_field, count(*) as n_records from {{ m }} where {{ c }} is not null "
              "group by {{ c }} having count(*) > 1",
    "not_null": "select {{ c }} from {{ m }} where {{ c }} is null",
    "accepted_values": "select {{ c }} as value_field, count(*) as n_records from {{ m }} group by {{ c }}",
    "relationships": "select child.{{ c }} from {{ m }} as child left join {{ to }} as parent on child.{{ c }} = "
                     "parent.{{ f }} where child.{{ c }} is not null and parent.{{ f }} is null",
    "other": "select {{ c }}, count(*) from {{ m }} group by {{ c }} having count(*) > 1",
}


def corpus_schema():
    corpus = os.path.join(ROOT, "..", "shared", "corpus", "mssql")
    if not os.path.isdir(corpus):
        return None
    best = None
    for name in sorted(os.listdir(corpus)):
        path = os.path.join(corpus, name)
        if not os.path.isdir(path):
            continue
        text = []
        for dirpath, _, files in os.walk(path):
            for f in files:
                if f.lower().endswith(".sql"):
                    with open(os.path.join(dirpath, f), "rb") as fh:
                        text.append(fh.read().decode("utf-8", "replace").lower())
        tables = sum(t.count("create table") for t in text)
        if best is None or tables > best[1]:
            best = (path, tables)
    return best[0]


def run_migrate(sqlmill, inputs, target, extra):
    out = tempfile.mkdtemp(prefix="scaffold-bench-")
    start = time.perf_counter()
    proc = subprocess.run([sqlmill, "migrate", *inputs, "--target", target, "--out", out, *extra],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"sqlmill migrate failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed, out, proc.stdout


def python_floor(out_dir):
    with open(os.path.join(out_dir, "migration_report.json")) as f:
        report = json.load(f)
    models = []
    for root, _, files in os.walk(os.path.join(out_dir, "models")):
        for f in sorted(files):
            if f.startswith("stg_") and f.endswith(".sql"):
                with open(os.path.join(root, f)) as fh:
                    models.append(fh.read())
    env = jinja2.Environment()
    start = time.perf_counter()
    template = env.from_string(MODEL_TEMPLATE)
    generated = [template.render(t=t) for t in report["tables"]]
    mid = time.perf_counter()
    compile_env = jinja2.Environment()
    context = {"source": lambda s, t: f'"warehouse"."{s}"."{t}"'}
    compiled = [compile_env.from_string(m).render(**context) for m in models]
    tests = {k: compile_env.from_string(v) for k, v in TEST_TEMPLATES.items()}
    rendered_tests = 0
    for t in report["tables"]:
        relation = f'"warehouse"."analytics"."{t["model"]}"'
        for test in t["tests"]:
            template = tests.get(test["test"], tests["other"])
            template.render(c=", ".join(test["columns"]), m=relation, to=test.get("to_model", ""),
                            f=", ".join(test.get("to_columns", [])))
            rendered_tests += 1
    end = time.perf_counter()
    assert len(generated) == len(compiled) == len(report["tables"])
    assert rendered_tests == report["summary"]["tests"]
    return mid - start, end - mid, report["summary"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--target", default="snowflake")
    args = ap.parse_args()
    sqlmill = os.path.join(args.build, "bin", "sqlmill")

    inputs = []
    corpus = corpus_schema()
    if corpus:
        inputs.append((f"corpus {os.path.basename(corpus)}", corpus))
    else:
        print("corpus not found beside the project: only the generated schema is measured")
    gen_dir = tempfile.mkdtemp(prefix="scaffold-bench-schema-")
    gen_path = os.path.join(gen_dir, "customers_2000.sql")
    with open(gen_path, "w") as f:
        f.write("".join(gen_script.realistic_table(i) for i in range(2000)))
    inputs.append(("generated 2,000 tables", gen_path))

    print(f"sqlmill migrate --target {args.target} (median of {args.runs} runs) beside python3-jinja2 "
          f"{jinja2.__version__} rendering the same models")
    for label, path in inputs:
        ours, scaffold_only, py_gen, py_compile = [], [], [], []
        summary = None
        for _ in range(args.runs):
            t, out, _ = run_migrate(sqlmill, [path], args.target, [])
            ours.append(t)
            t2, _, _ = run_migrate(sqlmill, [path], args.target, ["--no-compile"])
            scaffold_only.append(t2)
            g, c, summary = python_floor(out)
            py_gen.append(g)
            py_compile.append(c)
        o, s = statistics.median(ours), statistics.median(scaffold_only)
        g, c = statistics.median(py_gen), statistics.median(py_compile)
        print(f"  {label}: {summary['tables']} tables, {summary['columns']} columns, {summary['tests']} tests")
        print(f"    sqlmill migrate (parse+validate+scaffold+compile+write): {o * 1000:8.1f} ms"
              f"   without the compile: {s * 1000:8.1f} ms")
        print(f"    python3-jinja2 floor (render models {g * 1000:.1f} ms + render models and tests as a "
              f"compile {c * 1000:.1f} ms): {(g + c) * 1000:8.1f} ms")
        print(f"    ratio floor/sqlmill: {(g + c) / o:.2f}x  (>1: sqlmill's whole command is faster than "
              f"Python's rendering alone)")


if __name__ == "__main__":
    main()
