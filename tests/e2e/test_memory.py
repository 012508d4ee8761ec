"""Memory after a big call: the server gives it back to the OS.

A few-MB script makes the server allocate hundreds of MB while it parses and answers
(issue 12 tracks bringing that peak down); once the call is done, RSS must return close to
where it was, or a pod stays at its largest call until it is OOM-killed by the next one.
"""

import re
import time

import grpc

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
