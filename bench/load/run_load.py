#!/usr/bin/python3
"""Load benchmark of the serving path: every sqlmill RPC at fixed concurrency, beside the
framework's ceiling (the same server's grpc.health.v1.Health/Check) and beside a Python
worker (bench/load/python_worker.py: grpcio + sqlglot, a thread pool, GO-split batches),
all measured in this one run with the same load generator (build/bin/sqlmill-load).

For each RPC and concurrency it prints calls/s, p50/p90/p99/max latency, the gRPC status
codes the client saw and the codes the server counted (grpc_server_handled_total on
/metrics, before/after). Then the targets of issue 10: ParseScript at 32 in flight vs the
health rate and vs Python, 2-vs-1 scaling, p99 at half the maximum rate (open loop), and
RSS idle / after warm-up / after a soak at 128 in flight.

  /usr/bin/python3 bench/load/run_load.py                 # the full run (~12 minutes)
  /usr/bin/python3 bench/load/run_load.py --quick         # 2 s per point, 10 s soak
  ... --rpcs ParseScript,Health --concurrency 1,2,32 --seconds 5 --json out.json

Inputs: a one-table script; an install script from ../shared/corpus/mssql
(northwind/instnwnd.sql, 1.0 MB: the corpus has no 330 KB one); a folder via ParseFiles
(wide-world-importers, 285 files, 1.5 MB); the catalog of examples/sqlserver/retail for
Validate and (with one column changed) Diff; a template for RenderTemplate; the bundled
dbt project examples/dbt/retail_analytics for CompileProject and CompileNode. Where
../shared is absent, the corpus inputs are left out with a note. It never passes or fails
a target: it prints the figures and says which targets hold.
"""
import argparse
import json
import os
import re
import select
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.abspath(os.environ.get("SQLMILL_BUILD_DIR", os.path.join(ROOT, "build")))
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared", "corpus", "mssql"))
sys.path[:0] = [os.path.join(BUILD, "python"), os.path.join(ROOT, "clients", "python")]

from sqlmill_client import SqlmillClient  # noqa: E402
from sqlmill_client.client import read_project_files, read_sql_files  # noqa: E402
from sqlmill.v1 import (dbt_compiler_pb2, schema_validator_pb2, sql_parser_pb2)  # noqa: E402
from grpc_spec.health.v1 import health_pb2  # noqa: E402

ONE_TABLE = b"CREATE TABLE dbo.Customer (Id int NOT NULL PRIMARY KEY, Name nvarchar(50) NULL);\n"
TEMPLATE = """{% macro col(name, type) -%}{{ name }} {{ type | upper }}{%- endmacro %}
select
{%- for c in columns %}
  {{ col(c.name, c.type) }}{{ "," if not loop.last }}
{%- endfor %}
from {{ source_schema }}.{{ table }}
where {{ filters | join(' and ') }}"""
TEMPLATE_CONTEXT = {
    "columns": [{"name": f"col_{i}", "type": "varchar"} for i in range(20)],
    "source_schema": "raw", "table": "orders", "filters": ["a > 1", "b is not null"]}


def start(argv, pattern, what):
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{what} exited with {process.returncode}")
        if select.select([process.stdout], [], [], 0.1)[0]:
            line = process.stdout.readline()
            match = re.search(pattern, line)
            if match:
                return process, match
    process.kill()
    sys.exit(f"{what} did not start within 30 s")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def server_codes(admin_port, method):
    """{code: count} of grpc_server_handled_total for one method, from /metrics."""
    import urllib.request
    with urllib.request.urlopen(f"http://127.0.0.1:{admin_port}/metrics", timeout=10) as r:
        text = r.read().decode()
    service, name = method.strip("/").split("/")
    out = {}
    for line in text.splitlines():
        if not line.startswith("grpc_server_handled_total{"):
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', line))
        if labels.get("grpc_service") == service and labels.get("grpc_method") == name:
            out[labels["grpc_code"]] = out.get(labels["grpc_code"], 0) + float(line.split()[-1])
    return out


def delta(after, before):
    return {k: int(v - before.get(k, 0)) for k, v in after.items() if v - before.get(k, 0)}


def build_requests(client, tmp):
    """[(label, method, request file, server-side?)] for every RPC this run can build."""
    notes, out = [], []

    def add(label, method, message):
        path = os.path.join(tmp, re.sub(r"\W+", "_", label) + ".bin")
        with open(path, "wb") as handle:
            handle.write(message.SerializeToString())
        out.append((label, method, path))

    parser = "/sqlmill.v1.SqlParserService/"
    add("Health", "/grpc.health.v1.Health/Check", health_pb2.HealthCheckRequest())
    add("ParseScript one-table", parser + "ParseScript", sql_parser_pb2.ParseScriptRequest(
        file=sql_parser_pb2.SourceFile(name="one.sql", content=ONE_TABLE)))
    add("ParseScriptStream one-table", parser + "ParseScriptStream",
        sql_parser_pb2.ParseScriptChunk(name="one.sql", content=ONE_TABLE))
    install = os.path.join(SHARED, "northwind", "instnwnd.sql")
    if os.path.exists(install):
        with open(install, "rb") as handle:
            add("ParseScript instnwnd 1.0MB", parser + "ParseScript",
                sql_parser_pb2.ParseScriptRequest(
                    file=sql_parser_pb2.SourceFile(name="instnwnd.sql", content=handle.read())))
    else:
        notes.append(f"{install} absent: the install-script input is left out")
    folder = os.path.join(SHARED, "wide-world-importers")
    if os.path.isdir(folder):
        files = read_sql_files(folder)
        add(f"ParseFiles wwi {len(files)} files", parser + "ParseFiles",
            sql_parser_pb2.ParseFilesRequest(files=[
                sql_parser_pb2.SourceFile(name=n, content=c) for n, c in files]))
    else:
        notes.append(f"{folder} absent: the ParseFiles input is left out")

    retail = client.parse_paths(os.path.join(ROOT, "examples", "sqlserver", "retail")).catalog
    add("Validate retail→snowflake", "/sqlmill.v1.SchemaValidatorService/Validate",
        schema_validator_pb2.ValidateRequest(
            schema=schema_validator_pb2.SchemaInput(catalog=retail), target="snowflake"))
    changed = type(retail)()
    changed.CopyFrom(retail)
    for database in changed.databases:
        for schema in database.schemas:
            for table in schema.tables[:1]:
                del table.columns[-1]
    add("Diff retail", "/sqlmill.v1.SchemaValidatorService/Diff",
        schema_validator_pb2.DiffRequest(
            old_schema=schema_validator_pb2.SchemaInput(catalog=retail),
            new_schema=schema_validator_pb2.SchemaInput(catalog=changed)))
    add("RenderTemplate", "/sqlmill.v1.DbtCompilerService/RenderTemplate",
        dbt_compiler_pb2.RenderTemplateRequest(template=TEMPLATE,
                                               context_json=json.dumps(TEMPLATE_CONTEXT)))
    project = dbt_compiler_pb2.CompileProjectRequest(
        files=[dbt_compiler_pb2.ProjectFile(path=p, content=c) for p, c in
               read_project_files(os.path.join(ROOT, "examples", "dbt", "retail_analytics"))],
        target=dbt_compiler_pb2.Target(adapter_type="sqlserver", database="Retail",
                                       schema="dbo"),
        invocation_id="bench", run_started_at="2026-01-01T00:00:00Z")
    add("CompileProject retail_analytics", "/sqlmill.v1.DbtCompilerService/CompileProject",
        project)
    compiled = client.compile_project(project)
    add("CompileNode customer_orders", "/sqlmill.v1.DbtCompilerService/CompileNode",
        dbt_compiler_pb2.CompileNodeRequest(project_hash=compiled.project_hash,
                                            node="customer_orders"))
    return out, notes


def load(target, method, request, concurrency, seconds, warmup, rate=0):
    argv = [os.path.join(BUILD, "bin", "sqlmill-load"), f"--target={target}",
            f"--method={method}", f"--request={request}", f"--concurrency={concurrency}",
            f"--seconds={seconds}", f"--warmup_seconds={warmup}"]
    if rate:
        argv.append(f"--rate={rate}")
    return json.loads(subprocess.run(argv, check=True, capture_output=True, text=True).stdout)


def row(label, concurrency, result, server=None):
    codes = ",".join(f"{k}={v}" for k, v in sorted(result["codes"].items()))
    line = (f"{label:34} {concurrency:>4} {result['calls_per_second']:>10.1f} "
            f"{result['p50_us'] / 1000:>8.2f} {result['p90_us'] / 1000:>8.2f} "
            f"{result['p99_us'] / 1000:>8.2f} {result['max_us'] / 1000:>9.2f}  client {codes}")
    if server is not None:
        line += "  server " + ",".join(f"{k}={v}" for k, v in sorted(server.items()))
    print(line, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", default="1,2,8,32,128")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=1)
    parser.add_argument("--soak", type=float, default=60, help="seconds at 128 in flight")
    parser.add_argument("--rpcs", default="", help="comma-separated label prefixes")
    parser.add_argument("--quick", action="store_true", help="2 s per point, 10 s soak")
    parser.add_argument("--json", help="write every figure to this file")
    parser.add_argument("--server_flags", default="", help="extra sqlmill-server flags")
    parser.add_argument("--server", default=os.path.join(BUILD, "bin", "sqlmill-server"),
                        help="the server binary (e.g. an older build, for before/after)")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.warmup, args.soak = 2, 0.5, 10
    levels = [int(c) for c in args.concurrency.split(",")]

    server, match = start([args.server, "--host=127.0.0.1",
                           "--port=0", "--admin_port=0"] + args.server_flags.split(),
                          r"listening on [\d.]+:(\d+).*admin http://[\d.]+:(\d+)",
                          "sqlmill-server")
    target, admin = f"127.0.0.1:{match.group(1)}", int(match.group(2))
    python, pmatch = start([sys.executable, os.path.join(ROOT, "bench", "load",
                                                         "python_worker.py"), "--port=0"],
                           r"listening on [\d.]+:(\d+)", "python worker")
    python_target = f"127.0.0.1:{pmatch.group(1)}"
    report = {"server_flags": args.server_flags, "cores": os.cpu_count(), "points": []}
    try:
        time.sleep(0.5)
        report["rss_idle_mb"] = rss_mb(server.pid)
        with tempfile.TemporaryDirectory() as tmp:
            with SqlmillClient(target, timeout=120) as client:
                requests, notes = build_requests(client, tmp)
            for note in notes:
                print("note:", note)
            if args.rpcs:
                wanted = args.rpcs.split(",")
                requests = [r for r in requests if any(r[0].startswith(w) for w in wanted)]
            print(f"{'rpc':34} {'conc':>4} {'calls/s':>10} {'p50 ms':>8} {'p90 ms':>8} "
                  f"{'p99 ms':>8} {'max ms':>9}")
            results = {}
            for label, method, path in requests:
                for c in levels:
                    before = server_codes(admin, method)
                    result = load(target, method, path, c, args.seconds, args.warmup)
                    counted = delta(server_codes(admin, method), before)
                    row(label, c, result, counted)
                    results[(label, c)] = result
                    report["points"].append({"rpc": label, "peer": "sqlmill", "concurrency": c,
                                             "server_codes": counted, **result})
                if label.startswith("ParseScript ") and "one-table" in label or \
                        label.startswith("ParseScript instnwnd"):
                    for c in levels:
                        result = load(python_target, method, path, c, args.seconds,
                                      args.warmup)
                        row("  python grpcio+sqlglot", c, result)
                        results[("python " + label, c)] = result
                        report["points"].append({"rpc": label, "peer": "python",
                                                 "concurrency": c, **result})
            report["rss_after_points_mb"] = rss_mb(server.pid)
            summarize(results, report, target, requests, args, server.pid)
    finally:
        for process in (server, python):
            process.terminate()
            process.wait(timeout=30)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(report, handle, indent=1)


def summarize(results, report, target, requests, args, pid):
    one = "ParseScript one-table"
    print("\ntargets (issue 10):")
    non_ok = {k: v["codes"] for k, v in results.items()
              if k[1] in (32, 128) and not k[0].startswith("python")
              and set(v["codes"]) - {"OK"}}
    print(f"  non-OK calls at 32 and 128 in flight: "
          f"{'none' if not non_ok else non_ok}")
    if (one, 32) in results and ("Health", 32) in results:
        ours, health = results[(one, 32)]["calls_per_second"], \
            results[("Health", 32)]["calls_per_second"]
        py = results.get(("python " + one, 32), {}).get("calls_per_second", 0)
        print(f"  {one} @32: {ours:.0f}/s = {100 * ours / health:.0f}% of health Check "
              f"({health:.0f}/s; target >= 60%), {ours / py if py else 0:.1f}x the Python "
              f"worker ({py:.0f}/s; target >= 25x)")
        report["parse32_vs_health"] = ours / health
        report["parse32_vs_python"] = ours / py if py else None
    if (one, 1) in results and (one, 2) in results:
        r1, r2 = results[(one, 1)]["calls_per_second"], results[(one, 2)]["calls_per_second"]
        print(f"  {one}: 2 in flight / 1 in flight = {r2 / r1:.2f}x (target >= 1.6x)")
        report["scaling_2_vs_1"] = r2 / r1
    one_req = [r for r in requests if r[0] == one]
    if one_req:
        peak = max(v["calls_per_second"] for k, v in results.items() if k[0] == one)
        half = peak / 2
        def open_loop(request, what, key):
            result = load(target, request[1], request[2], 128, args.seconds, args.warmup,
                          rate=half)
            print(f"  {what} open loop at {half:.0f}/s: p50 {result['p50_us'] / 1000:.2f} ms, "
                  f"p99 {result['p99_us'] / 1000:.2f} ms, max {result['max_us'] / 1000:.2f} ms, "
                  f"missed starts {result['missed_starts']}")
            report[key] = {"rate": half, **result}

        open_loop(one_req[0], f"{one} (half the maximum rate; target p99 < 5 ms)", "half_rate")
        health = [r for r in requests if r[0] == "Health"]
        if health:  # the framework alone at the same rate: what bounds the p99
            open_loop(health[0], "health Check", "half_rate_health")
        load(target, one_req[0][1], one_req[0][2], 128, 5, 0)  # warm-up at 128 in flight
        time.sleep(1)
        warm = report["rss_after_warmup_mb"] = rss_mb(pid)
        soak = load(target, one_req[0][1], one_req[0][2], 128, args.soak, 0)
        time.sleep(1)
        after = report["rss_after_soak_mb"] = rss_mb(pid)
        print(f"  RSS: idle {report['rss_idle_mb']:.1f} MB (target <= 20), after every point "
              f"{report['rss_after_points_mb']:.1f} MB, after 5 s warm-up at 128 {warm:.1f} MB, "
              f"after {args.soak:.0f} s at 128 in flight ({soak['calls']} calls, "
              f"codes {soak['codes']}) {after:.1f} MB: {100 * (after - warm) / warm:+.1f}% "
              f"(target within 10%)")


if __name__ == "__main__":
    main()
