"""End-to-end tests of SqlParserService through the real Python client against the real
sqlmill-server binary."""

import os
import re
import time

import grpc
import pytest

from testlib import REPO, shared_corpus
from sqlmill_client import SqlmillClient, SqlmillError
from sqlmill_client.client import read_sql_files

ERROR = 1  # sqlmill.v1.SEVERITY_ERROR


def objects(catalog, kind):
    return {f"{s.name}.{o.name}" for d in catalog.databases for s in d.schemas
            for o in getattr(s, kind)}


@pytest.fixture
def client(server):
    with SqlmillClient(server.address, timeout=60) as c:
        if "sqlmill.v1.SqlParserService" not in c.list_services():
            pytest.skip("this build has no sql_parser service")
        yield c


def test_a_whole_folder_through_parse_files(client):
    response = client.parse_paths(os.path.join(REPO, "examples", "sqlserver", "retail"),
                                  statements=True)
    assert not [d for d in response.diagnostics if d.severity == ERROR]
    assert objects(response.catalog, "tables") == {
        "Sales.Customers", "Sales.Orders", "Sales.OrderLines", "Inventory.Products",
        "Staging.CustomerImport"}
    assert objects(response.catalog, "views") == {"Sales.vOrderTotals"}
    customers = next(t for d in response.catalog.databases for s in d.schemas
                     for t in s.tables if t.name == "Customers")
    columns = [c.name for c in customers.columns]
    assert "Notes" not in columns and columns[-1] == "Segment"  # ALTERs applied in order
    assert customers.description == "People and companies that buy from us."
    assert customers.span.file == "02_tables.sql" and customers.span.line > 0
    kinds = {s.kind for s in response.statements}
    assert "GRANT" in kinds and "PRINT" in kinds  # non-DDL listed, not errors
    assert response.stats.files == 3


def test_the_wide_world_importers_project(client):
    folder = shared_corpus("mssql", "wide-world-importers")
    files = read_sql_files(folder)
    response = client.parse_files(files)
    assert [d.message for d in response.diagnostics if d.severity == ERROR] == []
    assert len(objects(response.catalog, "tables")) >= 40
    assert len(objects(response.catalog, "routines")) >= 100


def test_a_malformed_statement_is_one_diagnostic_and_the_rest_is_parsed(client):
    script = ("CREATE TABLE dbo.A (x int NOT NULL);\n"
              "CREATE TABLE dbo.B (y int,, z int);\n"
              "GO\n"
              "CREATE TABLE dbo.C (z int);\n")
    response = client.parse_script("broken.sql", script)
    errors = [d for d in response.diagnostics if d.severity == ERROR]
    assert len(errors) == 1
    assert errors[0].span.file == "broken.sql"
    assert errors[0].span.line == 2 and errors[0].span.column > 1
    assert "^" in errors[0].excerpt
    assert objects(response.catalog, "tables") == {"dbo.A", "dbo.C"}


def test_an_over_limit_script_is_resource_exhausted(start_server):
    server = start_server("--max_input_bytes=10000")
    with SqlmillClient(server.address, timeout=10) as client:
        if "sqlmill.v1.SqlParserService" not in client.list_services():
            pytest.skip("this build has no sql_parser service")
        with pytest.raises(SqlmillError) as error:
            client.parse_script("big.sql", "-- padding\n" * 2000)
        assert error.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "10000" in error.value.details
        assert client.health() == "SERVING"


def test_a_short_deadline_on_a_huge_script_stops_promptly(client, server):
    statement = ("CREATE TABLE dbo.T{0} (Id int NOT NULL CONSTRAINT PK_T{0} PRIMARY KEY, "
                 "Name nvarchar(100) NULL, Amount decimal(18,2) NOT NULL DEFAULT 0);\nGO\n")
    script = "".join(statement.format(i) for i in range(150_000))  # ~19 MB
    started = time.monotonic()
    with pytest.raises(SqlmillError) as error:
        client.parse_script("huge.sql", script, timeout=0.5)
    assert error.value.code == grpc.StatusCode.DEADLINE_EXCEEDED
    assert time.monotonic() - started < 3
    # The server stopped the work and still answers.
    assert client.health() == "SERVING"
    response = client.parse_script("small.sql", "CREATE TABLE dbo.X (a int);")
    assert objects(response.catalog, "tables") == {"dbo.X"}
    # The server-side call ended too, not just the client's wait. The server records
    # DEADLINE_EXCEEDED, or CANCELLED when the client's cancellation (sent at its deadline)
    # reaches it a moment before the server's own copy of the deadline passes.
    ended = re.compile(r'grpc_server_handled_total\{grpc_code="(DEADLINE_EXCEEDED|CANCELLED)",'
                       r'grpc_method="ParseScript"')
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        status, text = server.http_get("/metrics")
        if ended.search(text):
            break
        time.sleep(0.1)
    assert ended.search(text), text
