#!/usr/bin/env python3
"""The example pipeline `make run` runs against a live sqlmill server: what a migration
pipeline does with sqlmill, step by step, on the bundled example data under examples/.

Each step runs when the server hosts the service it needs (listed through reflection); a
step whose service this build does not provide yet says so instead of pretending.

Run with Debian's /usr/bin/python3 and PYTHONPATH=clients/python:build/python.
"""

import argparse
import os
import sys
import tempfile

import grpc

from sqlmill_client import SqlmillClient, SqlmillError
from sqlmill_client.client import write_scaffold

STEPS = []


def step(service):
    def register(function):
        STEPS.append((service, function))
        return function
    return register


SEVERITY = {1: "error", 2: "warning", 3: "info", 4: "hint"}
CATALOG = {}


def print_diagnostics(diagnostics, limit=10):
    for d in diagnostics[:limit]:
        where = f"{d.span.file}:{d.span.line}:{d.span.column}"
        print(f"  {where}: {SEVERITY.get(d.severity, '?')}: {d.message} [{d.code}]")
    if len(diagnostics) > limit:
        print(f"  ... and {len(diagnostics) - limit} more")


@step("sqlmill.v1.SqlParserService")
def parse_schema(client, examples):
    """Parses the example SQL Server database project into a catalog."""
    folder = os.path.join(examples, "sqlserver", "retail")
    response = client.parse_paths(folder, statements=True)
    CATALOG["catalog"] = response.catalog
    stats = response.stats
    print(f"parsed {stats.files} files of {folder}: {stats.statements} statements "
          f"({stats.statements_applied} changed the catalog) in {stats.parse_micros / 1000:.1f} ms")
    for database in response.catalog.databases:
        for schema in database.schemas:
            for table in schema.tables:
                keys = "PK" if table.HasField("primary_key") else "no PK"
                print(f"  table {schema.name}.{table.name}: {len(table.columns)} columns, {keys}, "
                      f"{len(table.foreign_keys)} FKs, {len(table.indexes)} indexes "
                      f"({table.span.file}:{table.span.line})")
            for view in schema.views:
                refs = ", ".join(sorted({r.name.name for r in view.references}))
                print(f"  view {schema.name}.{view.name} reads {refs}")
            for routine in schema.routines:
                print(f"  routine {schema.name}.{routine.name}({len(routine.parameters)} parameters)")
    skipped = sorted({s.kind for s in response.statements if not s.applied and not s.error})
    print(f"  listed and skipped: {', '.join(skipped)}")
    errors = [d for d in response.diagnostics if d.severity == 1]
    print(f"  {len(errors)} errors, {len(response.diagnostics) - len(errors)} other diagnostics")
    print_diagnostics(response.diagnostics)
    return not errors


@step("sqlmill.v1.SchemaValidatorService")
def validate_for_snowflake(client, examples):
    """Validates the parsed catalog for a move to Snowflake and prints the findings."""
    from sqlmill.v1 import schema_validator_pb2
    if "catalog" not in CATALOG:
        print("no catalog: the parse step did not run")
        return False
    request = schema_validator_pb2.ValidateRequest(
        schema=schema_validator_pb2.SchemaInput(catalog=CATALOG["catalog"]),
        target="snowflake")
    response = client.validate(request)
    summary = response.summary
    print(f"validated {summary.objects_checked} objects for snowflake: {summary.errors} errors, "
          f"{summary.warnings} warnings, {summary.infos} infos "
          f"→ {'PASS' if response.passed else 'FAIL'} at the error threshold")
    for severity in (1, 2, 3):
        findings = [f for f in response.findings if f.severity == severity]
        if not findings:
            continue
        print(f"  {SEVERITY[severity]}s:")
        for f in findings[:12]:
            where = f"{f.span.file}:{f.span.line}" if f.span.line else "-"
            print(f"    {where}  [{f.rule_id}] {f.object_path}: {f.message}")
        if len(findings) > 12:
            print(f"    ... and {len(findings) - 12} more")
    return True


@step("sqlmill.v1.DbtCompilerService")
def compile_dbt_project(client, examples):
    """Compiles the example dbt project for SQL Server and shows one model and the DAG."""
    project = os.path.join(examples, "dbt", "retail_analytics")
    response = client.compile_project_dir(project, adapter_type="sqlserver", database="Retail",
                                          schema="dbo")
    stats = response.stats
    print(f"compiled {stats.nodes_compiled} of {stats.nodes} nodes of {project} "
          f"({stats.nodes_failed} failed, {stats.macros} macros) in "
          f"{stats.compile_micros / 1000:.1f} ms")
    print("DAG order:")
    for unique_id in response.dag_order:
        print(f"  {unique_id}")
    shown = next(n for n in response.nodes
                 if n.unique_id == "model.retail_analytics.customer_orders")
    print(f"compiled SQL of {shown.unique_id} → {shown.relation_name}:")
    for line in shown.compiled_code.strip().splitlines():
        print(f"    {line}")
    print_diagnostics(response.diagnostics)
    return stats.nodes_failed == 0


@step("sqlmill.v1.DbtCompilerService")
def scaffold_for_snowflake(client, examples):
    """Turns the example SQL Server schema into a Snowflake dbt project (sources, staging
    models, tests, migration_report.json), writes it to a temporary folder and shows one
    staging model."""
    folder = os.path.join(examples, "sqlserver", "retail")
    try:
        response = client.scaffold_paths(folder, target="snowflake")
    except SqlmillError as error:
        if error.code != grpc.StatusCode.UNIMPLEMENTED:
            raise
        print(f"skipped: this server cannot scaffold from SQL files ({error.details})")
        return True
    out_dir = tempfile.mkdtemp(prefix="sqlmill-scaffold-")
    paths = write_scaffold(response, out_dir)
    s, c = response.summary, response.compile
    lossy = ", ".join(f"{n} {s.columns_by_loss[n]}"
                      for n in ("precision", "range", "semantics", "unsupported")
                      if s.columns_by_loss.get(n)) or "none"
    tests = ", ".join(f"{n} {k}" for n, k in sorted(s.tests_by_name.items()))
    compiled = (f"compiled for {c.adapter_type}: {c.nodes_compiled} of {c.nodes} nodes "
                f"({c.nodes_failed} failed)" if c.ran else "not compiled")
    print(f"scaffolded dbt project '{response.project_name}' for snowflake from {folder}: "
          f"{s.tables} tables in {s.sources} sources, {s.columns} columns (lossy: {lossy}), "
          f"{s.tests} tests ({tests}), {s.skipped} objects not scaffolded (views, routines, "
          f"...), {s.findings} validator findings ({'PASS' if response.passed else 'FAIL'} at "
          f"the error threshold); {compiled}; wrote {len(paths)} files to {out_dir}")
    errors = [d for d in response.diagnostics if d.severity == 1]
    print_diagnostics(errors + list(c.diagnostics))
    model = next((f for f in response.files
                  if f.path.startswith("models/staging/") and f.path.count("/") == 3
                  and f.path.rsplit("/", 1)[1].startswith("stg_") and f.path.endswith(".sql")),
                 None)
    if model is not None:
        print(f"{model.path}:")
        for line in model.content.decode("utf-8").rstrip("\n").splitlines():
            print(f"    {line}".rstrip())
    return c.ran and c.nodes_failed == 0 and not errors and model is not None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", required=True, help="host:port of a sqlmill server")
    parser.add_argument("--examples", required=True, help="the examples/ folder")
    args = parser.parse_args()

    with SqlmillClient(args.server, timeout=60) as client:
        print(f"health: {client.health()}")
        services = client.list_services()
        print("services: " + ", ".join(s for s in services if s.startswith("sqlmill.")) or "-")
        failed = False
        for service, function in STEPS:
            if service not in services:
                print(f"\n[{function.__name__}] skipped: this server does not host {service}")
                continue
            print(f"\n[{function.__name__}]")
            failed |= not function(client, args.examples)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
