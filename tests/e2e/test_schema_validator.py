"""End-to-end tests of SchemaValidatorService through the real Python client against the
real sqlmill-server binary: a catalog parsed by the same server is validated for a target,
rules are listed, types explained, two versions diffed, and reports rendered."""

import json
import os
import xml.etree.ElementTree as ET

import grpc
import pytest

from testlib import REPO
from sqlmill_client import SqlmillClient, SqlmillError
from sqlmill.v1 import schema_validator_pb2 as pb

RETAIL = os.path.join(REPO, "examples", "sqlserver", "retail")


@pytest.fixture
def client(server):
    with SqlmillClient(server.address, timeout=60) as c:
        services = c.list_services()
        if "sqlmill.v1.SchemaValidatorService" not in services:
            pytest.skip("this build has no schema_validator service")
        if "sqlmill.v1.SqlParserService" not in services:
            pytest.skip("this build has no sql_parser service to make catalogs with")
        yield c


def catalog_of(client, script=None):
    if script is None:
        return client.parse_paths(RETAIL).catalog
    return client.parse_script("schema.sql", script).catalog


def validate(client, catalog, target, **fields):
    return client.validate(pb.ValidateRequest(schema=pb.SchemaInput(catalog=catalog),
                                              target=target, **fields))


def test_the_example_schema_for_snowflake(client):
    response = validate(client, catalog_of(client), "snowflake")
    rules = {f.rule_id for f in response.findings}
    # The example has a heap without a key, money and float columns, datetimeoffset...
    assert "pk-required" in rules
    heap = [f for f in response.findings
            if f.rule_id == "pk-required" and "CustomerImport" in f.object_path]
    assert heap and heap[0].span.file == "02_tables.sql" and heap[0].span.line > 0
    assert response.summary.objects_checked > 0
    assert sum(response.summary.by_rule.values()) == len(response.findings)


def test_targets_differ_and_unknown_targets_are_rejected(client):
    catalog = catalog_of(client)
    postgres = validate(client, catalog, "postgres")
    sqlserver = validate(client, catalog, "sqlserver")
    assert len(sqlserver.findings) < len(postgres.findings)
    with pytest.raises(SqlmillError) as error:
        validate(client, catalog, "oracle-9i")
    assert error.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "oracle-9i" in error.value.details


def test_rule_config_yaml_and_its_errors(client):
    catalog = catalog_of(client)
    off = validate(client, catalog, "snowflake",
                   rules=pb.RuleConfig(yaml="rules:\n  pk-required:\n    enabled: false\n"))
    assert "pk-required" not in {f.rule_id for f in off.findings}
    with pytest.raises(SqlmillError) as error:
        validate(client, catalog, "snowflake",
                 rules=pb.RuleConfig(yaml="rules:\n  no-such-rule:\n    enabled: false\n"))
    assert error.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "no-such-rule" in error.value.details and "rules.yaml:2:" in error.value.details


def test_reports_in_sarif_junit_and_json(client):
    catalog = catalog_of(client)
    sarif = json.loads(validate(client, catalog, "bigquery",
                                format=pb.REPORT_FORMAT_SARIF).report)
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    junit = ET.fromstring(validate(client, catalog, "bigquery",
                                   format=pb.REPORT_FORMAT_JUNIT).report)
    assert junit.tag in ("testsuites", "testsuite")
    report = json.loads(validate(client, catalog, "bigquery", format=pb.REPORT_FORMAT_JSON).report)
    assert "findings" in report


def test_list_rules_and_explain_type(client):
    rules = client.validator.ListRules(pb.ListRulesRequest(), timeout=10)
    ids = {r.id for r in rules.rules}
    assert {"pk-required", "fk-missing-table"} <= ids or "pk-required" in ids
    assert all(r.doc for r in rules.rules)
    assert {"postgres", "snowflake", "bigquery", "redshift", "databricks", "sqlserver"} <= set(rules.targets)
    explained = client.explain_type("datetimeoffset(7)", "postgres")
    assert explained.loss != pb.TYPE_LOSS_NONE and explained.target_type
    assert client.explain_type("int", "postgres").loss == pb.TYPE_LOSS_NONE


def test_diff_classifies_breaking_changes(client):
    old = catalog_of(client, "CREATE TABLE dbo.T (Id int NOT NULL PRIMARY KEY, "
                             "Name nvarchar(100) NULL, Legacy int NULL);")
    new = catalog_of(client, "CREATE TABLE dbo.T (Id int NOT NULL PRIMARY KEY, "
                             "Name nvarchar(50) NOT NULL);")
    response = client.diff(pb.DiffRequest(old_schema=pb.SchemaInput(catalog=old),
                                          new_schema=pb.SchemaInput(catalog=new)))
    classes = {(c.object_path.split(".")[-1], c.classification) for c in response.changes}
    assert ("Legacy", pb.CHANGE_CLASS_DESTRUCTIVE) in classes
    assert any(c.object_path.endswith("Name") and c.classification in (
        pb.CHANGE_CLASS_BACKWARD_INCOMPATIBLE, pb.CHANGE_CLASS_DATA_DEPENDENT)
        for c in response.changes)
    assert not response.passed or response.findings == []


def test_raw_tsql_input_is_parsed_in_process(client):
    from sqlmill.v1 import sql_parser_pb2
    from sqlmill_client.client import read_sql_files
    files = [sql_parser_pb2.SourceFile(name=n, content=c) for n, c in read_sql_files(RETAIL)]
    response = client.validate(pb.ValidateRequest(
        schema=pb.SchemaInput(sql=sql_parser_pb2.ParseFilesRequest(files=files)),
        target="postgres"))
    heap = [f for f in response.findings
            if f.rule_id == "pk-required" and f.object_path.endswith("CustomerImport")]
    assert heap and heap[0].span.file == "02_tables.sql" and heap[0].span.line == 80
    # An inline suppression in the SQL silences a finding for that object.
    suppressed = files + [sql_parser_pb2.SourceFile(
        name="04_more.sql",
        content=b"-- sqlmill:ignore pk-required\nCREATE TABLE Staging.Scratch (x int NULL);\n")]
    response = client.validate(pb.ValidateRequest(
        schema=pb.SchemaInput(sql=sql_parser_pb2.ParseFilesRequest(files=suppressed)),
        target="postgres"))
    assert not [f for f in response.findings
                if f.rule_id == "pk-required" and f.object_path.endswith("Scratch")]
    assert response.summary.suppressed >= 1


def run_cli(*args):
    import subprocess
    from testlib import binary
    return subprocess.run([binary("sqlmill"), *args], capture_output=True, text=True, timeout=120)


def test_cli_validate_and_diff_through_the_server_match_in_process(client, server, tmp_path):
    # The CI-gate use: the same command line with --server gives the same findings, text and
    # exit code as the in-process run (the SQL files are sent as text and parsed there).
    args = [RETAIL, "--target", "snowflake", "--fail-on", "warning"]
    local = run_cli("validate", *args)
    remote = run_cli("validate", "--server", server.address, *args)
    assert local.returncode == 1, local.stderr  # the example has warnings
    assert remote.returncode == local.returncode, remote.stderr
    assert remote.stdout == local.stdout
    assert "pk-required" in remote.stdout

    new = tmp_path / "new.sql"
    new.write_text(open(os.path.join(RETAIL, "02_tables.sql"), encoding="utf-8").read()
                   .replace("CREATE TABLE [Sales].[OrderLines]", "CREATE TABLE [Sales].[OrderLinesV2]", 1))
    old = tmp_path / "old.sql"
    old.write_text(open(os.path.join(RETAIL, "02_tables.sql"), encoding="utf-8").read())
    local = run_cli("diff", str(old), str(new))
    remote = run_cli("diff", "--server", server.address, str(old), str(new))
    assert remote.returncode == local.returncode, remote.stderr
    assert remote.stdout == local.stdout
    assert "OrderLines" in remote.stdout

    # An unreachable server is an error naming it, not a pass.
    down = run_cli("validate", "--server", "127.0.0.1:1", "--timeout_seconds=5", *args)
    assert down.returncode == 2
    assert "127.0.0.1:1" in down.stderr
