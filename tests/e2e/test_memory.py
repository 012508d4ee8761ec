"""Memory after a big call: the server gives it back to the OS.

A few-MB script makes the server allocate hundreds of MB while it parses and answers
(issue 12 tracks bringing that peak down); once the call is done, RSS must return close to
where it was, or a pod stays at its largest call until it is OOM-killed by the next one.
"""

import re
import time

import grpc
import pytest

from testlib import binary  # noqa: F401  (puts the client on sys.path)
from sqlmill.v1 import sql_parser_pb2, sql_parser_pb2_grpc


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as handle:
        return int(re.search(r"VmRSS:\s+(\d+)", handle.read()).group(1)) / 1024


def test_rss_returns_near_idle_after_a_big_parse(server):
    script = "".join(
        f"CREATE TABLE dbo.T{i} (Id int NOT NULL PRIMARY KEY, Name nvarchar(50) NULL, "
        f"Amount decimal(18,2), Created datetime2 NOT NULL);\nGO\n" for i in range(45000))
    assert len(script) > 5_000_000
    channel = grpc.insecure_channel(server.address,
                                    options=[("grpc.max_receive_message_length", -1)])
    stub = sql_parser_pb2_grpc.SqlParserServiceStub(channel)
    stub.ParseScript(sql_parser_pb2.ParseScriptRequest(
        file=sql_parser_pb2.SourceFile(name="warm.sql", content=b"CREATE TABLE t (a int);")),
        timeout=30)
    idle = rss_mb(server.process.pid)
    peak = idle
    future = stub.ParseScript.future(sql_parser_pb2.ParseScriptRequest(
        file=sql_parser_pb2.SourceFile(name="big.sql", content=script.encode())), timeout=120)
    while not future.done():
        peak = max(peak, rss_mb(server.process.pid))
        time.sleep(0.02)
    tables = future.result().catalog.databases[0].schemas[0].tables
    assert len(tables) == 45000
    channel.close()
    deadline = time.monotonic() + 5
    after = rss_mb(server.process.pid)
    while after - idle >= 50 and time.monotonic() < deadline:
        time.sleep(0.1)
        after = rss_mb(server.process.pid)
    assert peak - idle > 100, f"the call should have needed memory (peak {peak:.0f} MB)"
    assert after - idle < 50, f"idle {idle:.0f} MB, peak {peak:.0f} MB, after {after:.0f} MB"


def tiny_tables(megabytes):
    line = ("CREATE TABLE dbo.T{:07d} (Id int NOT NULL PRIMARY KEY, Name nvarchar(50) NULL, "
            "Amount decimal(18,2) NULL);\n")
    count = int(megabytes * 1_000_000 / len(line.format(0))) + 1
    return "".join(line.format(i) for i in range(count)).encode()


def chunks(name, data, size=1 << 20):
    yield sql_parser_pb2.ParseScriptChunk(name=name)
    for i in range(0, len(data), size):
        yield sql_parser_pb2.ParseScriptChunk(content=data[i:i + size])


def assert_healthy(stub):
    response = stub.ParseScript(sql_parser_pb2.ParseScriptRequest(
        file=sql_parser_pb2.SourceFile(name="after.sql", content=b"CREATE TABLE t (a int);")),
        timeout=30)
    assert response.catalog.databases[0].schemas[0].tables[0].name == "t"


def test_a_50_mb_script_is_refused_up_front_naming_the_memory_budget(server):
    """With default flags (a budget of at most 768 MiB per call) a 50 MB DDL script cannot
    fit: it is refused while it streams in, before any parsing, and the server is fine."""
    data = tiny_tables(50)
    assert len(data) >= 50_000_000
    channel = grpc.insecure_channel(server.address)
    stub = sql_parser_pb2_grpc.SqlParserServiceStub(channel)
    assert_healthy(stub)
    idle = rss_mb(server.process.pid)
    started = time.monotonic()
    future = stub.ParseScriptStream.future(chunks("big.sql", data), timeout=120)
    peak = idle
    while not future.done():
        peak = max(peak, rss_mb(server.process.pid))
        time.sleep(0.01)
    elapsed = time.monotonic() - started
    with pytest.raises(grpc.RpcError) as error:
        future.result()
    assert error.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    details = error.value.details()
    assert "--max_call_memory_bytes" in details and "big.sql" in details, details
    assert elapsed < 1.0, f"refused after {elapsed:.2f} s"
    assert peak - idle < 10 * 50, f"idle {idle:.0f} MB, peak {peak:.0f} MB"
    assert_healthy(stub)
    channel.close()
    deadline = time.monotonic() + 5
    while rss_mb(server.process.pid) - idle >= 50 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert rss_mb(server.process.pid) - idle < 50


def test_a_call_over_the_memory_budget_while_parsing_is_stopped(start_server):
    """A script that passes the up-front estimate but is denser than it (one line of
    80,000 columns takes ~100 bytes per byte) is stopped by the budget while it parses."""
    server = start_server("--max_call_memory_bytes=67108864")
    script = ("CREATE TABLE dbo.Wide (c0 int" +
              "".join(f", c{i} int NULL" for i in range(1, 80000)) + ");").encode()
    assert len(script) * 34 < 67108864
    channel = grpc.insecure_channel(server.address,
                                    options=[("grpc.max_receive_message_length", -1)])
    stub = sql_parser_pb2_grpc.SqlParserServiceStub(channel)
    assert_healthy(stub)
    idle = rss_mb(server.process.pid)
    with pytest.raises(grpc.RpcError) as error:
        stub.ParseScript(sql_parser_pb2.ParseScriptRequest(
            file=sql_parser_pb2.SourceFile(name="wide.sql", content=script)), timeout=60)
    assert error.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "--max_call_memory_bytes" in error.value.details(), error.value.details()
    assert_healthy(stub)
    deadline = time.monotonic() + 5
    while rss_mb(server.process.pid) - idle >= 50 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert rss_mb(server.process.pid) - idle < 50
    channel.close()
