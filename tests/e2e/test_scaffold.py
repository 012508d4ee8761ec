"""End-to-end tests of DbtCompilerService.ScaffoldProject and `sqlmill migrate`: the example
SQL Server schema turned into a dbt project for every warehouse target through the real
Python client against the real sqlmill-server binary, catalog and SQL input compared, and the
CLI run in-process and with --server (exit codes, the files it writes, reruns that keep a
user's files, stale files removed, parse errors)."""

import json
import os
import re
import shutil
import subprocess

import grpc
import pytest
import yaml  # python3-yaml, installed by scripts/install_deps.sh

from testlib import REPO, binary
from sqlmill_client import SqlmillClient, SqlmillError
from sqlmill_client.client import read_sql_files, write_scaffold
from sqlmill.v1 import dbt_compiler_pb2, schema_validator_pb2, sql_parser_pb2

RETAIL = os.path.join(REPO, "examples", "sqlserver", "retail")
TARGETS = ("snowflake", "bigquery", "postgres", "redshift", "databricks")
MANIFEST = ".sqlmill-scaffold"
REPORT = "migration_report.json"
LOSSES = ("none", "precision", "range", "semantics", "unsupported")


@pytest.fixture
def client(server):
    with SqlmillClient(server.address, timeout=120) as c:
        services = c.list_services()
        if "sqlmill.v1.DbtCompilerService" not in services:
            pytest.skip("this build has no dbt_compiler service")
        if "sqlmill.v1.SqlParserService" not in services:
            pytest.skip("this build has no sql_parser service to count the catalog's tables with")
        yield c


def catalog_tables(catalog):
    """Returns the sorted (schema, table) pairs of a parsed catalog."""
    return sorted((schema.name, table.name) for database in catalog.databases
                  for schema in database.schemas for table in schema.tables)


def without_timings(stdout):
    """The summary without its `time:` line (wall times differ from run to run)."""
    return "".join(line for line in stdout.splitlines(keepends=True) if not line.startswith("  time: "))


def report_text(response):
    """migration_report.json's text from a ScaffoldProject response."""
    return next(f.content for f in response.files if f.path == REPORT).decode("utf-8")


def files_of(response):
    return {f.path: f.content for f in response.files}


def staging_models(files):
    return sorted(p for p in files
                  if re.fullmatch(r"models/staging/[^/]+/stg_[^/]+\.sql", p))


def sources_yaml(files):
    """Returns [(source name, landed schema, table name)] over every sources YAML."""
    out = []
    for path in sorted(p for p in files if re.fullmatch(r"models/staging/[^/]+/_[^/]+__sources\.yml", p)):
        for source in yaml.safe_load(files[path])["sources"]:
            out += [(source["name"], source["schema"], t["name"]) for t in source["tables"]]
    return out


def summary_dict(summary):
    """The response's ScaffoldSummary in migration_report.json's shape."""
    return {
        "sources": summary.sources, "tables": summary.tables, "columns": summary.columns,
        "columns_by_loss": {k: summary.columns_by_loss.get(k, 0) for k in LOSSES},
        "tests": summary.tests, "tests_by_name": dict(summary.tests_by_name),
        "renames": summary.renames, "skipped": summary.skipped, "findings": summary.findings,
    }


def without_locations(value):
    if isinstance(value, dict):
        return {k: without_locations(v) for k, v in value.items() if k != "location"}
    if isinstance(value, list):
        return [without_locations(v) for v in value]
    return value


# --- through the server ----------------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS)
def test_every_table_gets_a_source_and_a_staging_model(client, target):
    tables = catalog_tables(client.parse_paths(RETAIL).catalog)
    assert len(tables) == 5
    response = client.scaffold_paths(RETAIL, target=target)
    files = files_of(response)
    assert [d.message for d in response.diagnostics if d.severity == 1] == []
    assert [f.path for f in response.files] == sorted(files), "files are sorted by path"
    assert {"dbt_project.yml", REPORT} <= set(files)

    # One entry under tables: per catalog table, and one staging model each.
    listed = sources_yaml(files)
    assert sorted((schema, table) for _source, schema, table in listed) == tables
    report = json.loads(report_text(response))
    by_table = {(t["schema"], t["name"]): t for t in report["tables"]}
    assert sorted(by_table) == tables and len(report["tables"]) == len(tables)
    models = staging_models(files)
    assert len(models) == len(tables)
    assert sorted(t["model_path"] for t in report["tables"]) == models
    for (schema, name), table in by_table.items():
        sql = files[table["model_path"]].decode("utf-8")
        assert f"{{{{ source('{table['source']}', '{name}') }}}}" in sql, table["model_path"]
        assert (table["source"], schema, name) in listed
        assert "cast(" in sql, table["model_path"]

    # The generated project compiles with our compiler for the target's adapter.
    assert response.compile.ran
    assert response.compile.nodes_failed == 0, [d.message for d in response.compile.diagnostics]
    assert response.compile.nodes == response.compile.nodes_compiled > len(tables)

    # The report (migration_report.json, sent once among the files) agrees with the response.
    assert list(files).count(REPORT) == 1
    assert report["target"] == target and report["project"] == response.project_name
    assert report["summary"] == summary_dict(response.summary)
    assert report["passed"] == response.passed
    assert response.summary.tables == len(tables) and response.summary.sources == 3
    assert sum(response.summary.columns_by_loss.values()) == response.summary.columns
    assert sum(response.summary.tests_by_name.values()) == response.summary.tests


def test_unknown_target_and_missing_schema_are_invalid_argument(client):
    catalog = client.parse_paths(RETAIL).catalog

    def scaffold(**fields):
        with pytest.raises(SqlmillError) as error:
            client.scaffold_project(dbt_compiler_pb2.ScaffoldProjectRequest(**fields))
        assert error.value.code == grpc.StatusCode.INVALID_ARGUMENT, error.value
        return error.value.details

    details = scaffold(target="oracle", schema=schema_validator_pb2.SchemaInput(catalog=catalog))
    assert "oracle" in details
    assert all(t in details for t in TARGETS), details
    assert "sqlserver" in scaffold(target="sqlserver",
                                   schema=schema_validator_pb2.SchemaInput(catalog=catalog))
    assert all(t in scaffold(target="", schema=schema_validator_pb2.SchemaInput(catalog=catalog))
               for t in TARGETS)
    assert "schema" in scaffold(target="snowflake")  # neither a catalog nor files
    assert "file" in scaffold(target="snowflake", schema=schema_validator_pb2.SchemaInput(
        sql=sql_parser_pb2.ParseFilesRequest()))


def test_unknown_target_message_offers_only_warehouse_targets(client):
    catalog = client.parse_paths(RETAIL).catalog
    with pytest.raises(SqlmillError) as error:
        client.scaffold_project(dbt_compiler_pb2.ScaffoldProjectRequest(
            target="oracle", schema=schema_validator_pb2.SchemaInput(catalog=catalog)))
    assert "sqlserver" not in error.value.details


@pytest.mark.parametrize("target", ("snowflake", "postgres"))
def test_catalog_input_gives_the_same_project_as_sql_input(client, target):
    parsed = client.parse_paths(RETAIL)
    from_sql = client.scaffold_paths(RETAIL, target=target)
    from_catalog = client.scaffold_project(dbt_compiler_pb2.ScaffoldProjectRequest(
        target=target, schema=schema_validator_pb2.SchemaInput(catalog=parsed.catalog)))
    sql_files, catalog_files = files_of(from_sql), files_of(from_catalog)
    assert sorted(sql_files) == sorted(catalog_files)
    models = staging_models(sql_files)
    assert len(models) == len(catalog_tables(parsed.catalog))
    for path in sql_files:
        if path != REPORT:
            assert sql_files[path] == catalog_files[path], path
    assert without_locations(json.loads(report_text(from_sql))) == \
        without_locations(json.loads(report_text(from_catalog)))
    assert from_sql.summary == from_catalog.summary
    assert from_sql.passed == from_catalog.passed
    assert from_sql.compile.nodes_failed == from_catalog.compile.nodes_failed == 0


def test_write_scaffold_writes_the_files_and_refuses_paths_outside(client, tmp_path):
    response = client.scaffold_paths(RETAIL, target="redshift", compile=False)
    assert not response.compile.ran
    written = write_scaffold(response, str(tmp_path / "project"))
    assert written == [f.path for f in response.files]
    for f in response.files:
        assert (tmp_path / "project" / f.path).read_bytes() == f.content
    for bad in ("../escape.sql", "/tmp/abs.sql", "models/../../escape.sql", "", "models//x.sql"):
        evil = dbt_compiler_pb2.ScaffoldProjectResponse(files=[
            dbt_compiler_pb2.ProjectFile(path="models/fine.sql", content=b"select 1"),
            dbt_compiler_pb2.ProjectFile(path=bad, content=b"x")])
        with pytest.raises(ValueError):
            write_scaffold(evil, str(tmp_path / "evil"))
        assert not (tmp_path / "evil").exists(), "nothing is written when one path is refused"
    assert not (tmp_path / "escape.sql").exists()


def test_alias_type_not_null_gives_a_not_null_test(client):
    response = client.scaffold_paths(RETAIL, target="snowflake")
    report = json.loads(report_text(response))
    customers = next(t for t in report["tables"] if t["name"] == "Customers")
    name = next(c for c in customers["columns"] if c["name"] == "Name")
    assert name["nullable"] is False
    models = yaml.safe_load(files_of(response)["models/staging/sales/_sales__models.yml"])
    model = next(m for m in models["models"] if m["name"] == "stg_sales__customers")
    column = next(c for c in model["columns"] if c["name"] == "name")
    assert "not_null" in column.get("data_tests", [])


def test_schema_filter_also_scopes_the_findings(client):
    response = client.scaffold_paths(RETAIL, target="postgres", schemas=["Inventory"])
    report = json.loads(report_text(response))
    assert [(t["schema"], t["name"]) for t in report["tables"]] == [("Inventory", "Products")]
    objects = [f["object"] for f in report["other_findings"]] + \
        [f["object"] for t in report["tables"] for f in t["findings"]]
    assert [o for o in objects if not o.startswith("Inventory.")] == []
    assert response.passed


# --- the CLI ---------------------------------------------------------------------------------


def migrate(*args, server=None):
    remote = ["--server", server] if server else []
    return subprocess.run([binary("sqlmill"), "migrate", *remote, *args], capture_output=True,
                          text=True, timeout=300)


def tree(root):
    """Returns {relative path: bytes} of every file under root."""
    out = {}
    for directory, _dirs, names in os.walk(root):
        for name in names:
            full = os.path.join(directory, name)
            with open(full, "rb") as handle:
                out[os.path.relpath(full, root).replace(os.sep, "/")] = handle.read()
    return out


def manifest(root):
    with open(os.path.join(root, MANIFEST), encoding="utf-8") as handle:
        return sorted(line.strip() for line in handle if line.strip() and not line.startswith("#"))


def test_cli_in_process_and_through_the_server(client, server, tmp_path):
    expected = client.scaffold_paths(RETAIL, target="snowflake")
    summary = expected.summary
    local_dir, remote_dir = str(tmp_path / "local"), str(tmp_path / "remote")
    local = migrate(RETAIL, "--target", "snowflake", "--out", local_dir)
    remote = migrate(RETAIL, "--target", "snowflake", "--out", remote_dir, server=server.address)
    # The example has validator errors for Snowflake (a rowversion column, ...): exit 1.
    assert local.returncode == 1, local.stderr
    assert remote.returncode == local.returncode, remote.stderr
    assert not expected.passed
    assert local.stdout.splitlines()[0] == (
        f"sqlmill migrate: {summary.tables} tables ({summary.sources} sources), "
        f"{summary.columns} columns -> snowflake dbt project '{expected.project_name}'")
    assert f"compile (snowflake): {expected.compile.nodes} nodes, " \
           f"{expected.compile.nodes_compiled} compiled, 0 failed" in local.stdout
    assert f"wrote {len(expected.files)} files to {local_dir}" in local.stdout
    assert without_timings(remote.stdout) == without_timings(local.stdout.replace(local_dir, remote_dir))
    assert re.search(r"^  time: parse [0-9.]+ ms, validate\+scaffold [0-9.]+ ms, compile [0-9.]+ ms, "
                     r"write [0-9.]+ ms$", local.stdout, re.M), local.stdout
    assert remote.stderr == local.stderr
    assert "error:" not in local.stderr

    # The files written are the RPC's files (the report's locations name the CLI's paths),
    # plus the manifest listing exactly them; in-process and remote write the same bytes.
    rpc = files_of(expected)
    written = tree(local_dir)
    assert written == tree(remote_dir)
    assert sorted(written) == sorted(list(rpc) + [MANIFEST])
    assert manifest(local_dir) == sorted(rpc)
    for path, content in rpc.items():
        if path != REPORT:
            assert written[path] == content, path
    report = json.loads(written[REPORT])
    assert without_locations(report) == without_locations(json.loads(report_text(expected)))
    assert report["tables"][0]["location"]["file"].startswith(RETAIL)


def test_cli_exit_codes_of_a_clean_schema(server, tmp_path):
    clean = tmp_path / "clean.sql"
    clean.write_text("CREATE TABLE dbo.Customer (CustomerId int NOT NULL CONSTRAINT PK_Customer "
                     "PRIMARY KEY, Name nvarchar(100) NOT NULL, Email varchar(200) NULL);\nGO\n")
    for remote in (None, server.address):
        out = str(tmp_path / f"out-{bool(remote)}")
        result = migrate(str(clean), "--target", "snowflake", "--out", out, server=remote)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.startswith("sqlmill migrate: 1 tables (1 sources), 3 columns -> "
                                        "snowflake dbt project 'migration'\n")
        assert "validator: 1 findings for snowflake, passed at error" in result.stdout
        assert "models/staging/dbo/stg_dbo__customer.sql" in manifest(out)
        # Its one finding is an info: at --fail-on info the same schema fails.
        strict = migrate(str(clean), "--target", "snowflake", "--out", out, "--fail-on", "info",
                         server=remote)
        assert strict.returncode == 1, strict.stdout + strict.stderr
        assert "FAILED at info" in strict.stdout


def test_cli_rerun_replaces_generated_files_and_keeps_the_users(server, tmp_path):
    out = tmp_path / "project"
    args = (RETAIL, "--target", "postgres", "--out", str(out))
    first = migrate(*args)
    assert first.returncode == 1, first.stderr
    generated = tree(out)

    # A user's own model, and a generated model the user edited.
    user = out / "models" / "my_model.sql"
    user.write_text("select * from {{ ref('stg_sales__orders') }}\n")
    user_stat = user.stat()
    edited = out / "models" / "staging" / "sales" / "stg_sales__orders.sql"
    edited.write_text("-- my edit\n")
    for remote in (None, server.address):
        again = migrate(*args, server=remote)
        assert again.returncode == 1, again.stderr
        assert "warning: kept" not in again.stderr
        after = tree(out)
        assert after.pop("models/my_model.sql") == b"select * from {{ ref('stg_sales__orders') }}\n"
        assert after == generated, "the generated files are written again, the edit replaced"
        assert user.stat().st_mtime_ns == user_stat.st_mtime_ns
        assert manifest(out) == sorted(p for p in generated if p != MANIFEST)

    # A rerun with nothing edited writes the same project.
    unchanged = migrate(*args)
    assert unchanged.returncode == 1 and "warning: kept" not in unchanged.stderr
    assert without_timings(unchanged.stdout) == without_timings(first.stdout)
    assert {p: c for p, c in tree(out).items() if p != "models/my_model.sql"} == generated


def test_cli_keeps_a_user_file_at_a_generated_path_unless_forced(server, tmp_path):
    out = tmp_path / "project"
    mine = out / "models" / "staging" / "sales" / "stg_sales__orders.sql"
    mine.parent.mkdir(parents=True)
    mine.write_text("-- mine\nselect 1\n")
    args = (RETAIL, "--target", "bigquery", "--out", str(out))
    for remote in (None, server.address, None):
        kept = migrate(*args, server=remote)
        assert kept.returncode == 1, kept.stderr
        assert mine.read_text() == "-- mine\nselect 1\n"
        assert re.search(r"warning: kept .*stg_sales__orders\.sql.*--force", kept.stderr), kept.stderr
        assert "models/staging/sales/stg_sales__orders.sql" not in manifest(out)
        assert (out / "models" / "staging" / "sales" / "stg_sales__customers.sql").exists()
        assert "wrote 13 files" in kept.stdout  # 14 generated, one kept

    forced = migrate(*args, "--force", server=server.address)
    assert forced.returncode == 1, forced.stderr
    assert "warning: kept" not in forced.stderr
    assert mine.read_text().startswith("-- Staging model for SQL Server table Sales.Orders")
    assert "models/staging/sales/stg_sales__orders.sql" in manifest(out)
    assert "wrote 14 files" in forced.stdout


def test_cli_removes_stale_generated_files_when_the_filter_changes(tmp_path):
    out = tmp_path / "project"
    sales = migrate(RETAIL, "--target", "snowflake", "--out", str(out), "--schema", "Sales")
    assert sales.returncode in (0, 1), sales.stderr
    before = manifest(out)
    assert "models/staging/sales/stg_sales__orders.sql" in before
    assert "tests/generic/unique_combination_of_columns.sql" in before  # OrderLines' key
    assert not any(p.startswith("models/staging/inventory/") for p in before)
    notes = out / "models" / "staging" / "sales" / "NOTES.md"
    notes.write_text("my notes\n")

    inventory = migrate(RETAIL, "--target", "snowflake", "--out", str(out), "--schema", "inventory")
    assert inventory.returncode in (0, 1), inventory.stderr
    after = manifest(out)
    assert "models/staging/inventory/stg_inventory__products.sql" in after
    assert not any(p.startswith("models/staging/sales/") or p.startswith("tests/") for p in after)
    files = tree(out)
    assert sorted(files) == sorted(after + [MANIFEST, "models/staging/sales/NOTES.md"])
    assert notes.read_text() == "my notes\n"
    assert not (out / "tests").exists(), "folders the stale files leave empty go too"


def test_cli_unknown_target_is_a_usage_error(server, tmp_path):
    for remote in (None, server.address):
        out = tmp_path / f"out-{bool(remote)}"
        result = migrate(RETAIL, "--target", "oracle", "--out", str(out), server=remote)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "oracle" in result.stderr and "snowflake" in result.stderr
        assert result.stdout == ""
        assert not out.exists()


def test_cli_parse_errors_exit_3_and_the_other_tables_are_scaffolded(server, tmp_path):
    schema = tmp_path / "schema"
    shutil.copytree(RETAIL, schema)
    broken = ("CREATE TABLE dbo.Good (Id int NOT NULL PRIMARY KEY, Label varchar(20) NULL);\nGO\n"
              "CREATE TABLE dbo.Broken (Id int NOT NULL, Name nvarchar(10);\nGO\n")
    (schema / "04_broken.sql").write_text(broken)
    line, column = 3, broken.splitlines()[2].index(";") + 1
    for remote in (None, server.address):
        out = tmp_path / f"out-{bool(remote)}"
        result = migrate(str(schema), "--target", "postgres", "--out", str(out), server=remote)
        assert result.returncode == 3, result.stdout + result.stderr
        where = f"{schema / '04_broken.sql'}:{line}:{column}: error: "
        assert where in result.stderr, result.stderr
        assert "[parse-error]" in result.stderr
        # The retail tables (other files) and the good table before the error are there.
        assert result.stdout.startswith("sqlmill migrate: 6 tables (4 sources)")
        written = manifest(out)
        assert len([p for p in written if re.fullmatch(r"models/staging/[^/]+/stg_[^/]+\.sql", p)]) == 6
        assert "models/staging/dbo/stg_dbo__good.sql" in written
        assert "models/staging/sales/stg_sales__order_lines.sql" in written
        assert not any("broken" in p for p in written)


def test_scaffold_paths_sends_sql_files_as_the_cli_reads_them(client):
    # scaffold_paths is read_sql_files + SchemaInput.sql: the same as building it by hand.
    files = [sql_parser_pb2.SourceFile(name=n, content=c) for n, c in read_sql_files(RETAIL)]
    by_hand = client.scaffold_project(dbt_compiler_pb2.ScaffoldProjectRequest(
        target="databricks", keep_names=True, tests=False,
        schema=schema_validator_pb2.SchemaInput(sql=sql_parser_pb2.ParseFilesRequest(files=files))))
    helper = client.scaffold_paths(RETAIL, target="databricks", keep_names=True, tests=False)
    assert files_of(helper) == files_of(by_hand)
    assert helper.summary.tests == 0
    assert not any(p.startswith("tests/") for p in files_of(helper))
