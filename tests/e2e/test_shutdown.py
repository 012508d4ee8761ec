"""SIGTERM during an in-flight call: the call completes with its full result while health
turns NOT_SERVING, and the process exits within drain + grace.

The in-flight call is a client-streaming ParseScriptStream whose chunks keep arriving after
SIGTERM, so it is in flight by construction, however fast the parser is."""

import threading
import time

import pytest

from testlib import binary  # noqa: F401  (puts the client on sys.path)
from sqlmill_client import SqlmillClient
from sqlmill.v1 import sql_parser_pb2

DRAIN, GRACE = 1.5, 10.0


def table(i):
    return (f"CREATE TABLE dbo.T{i} (Id int NOT NULL PRIMARY KEY, Name nvarchar(50) NULL);\n"
            "GO\n").encode()


def test_sigterm_lets_an_in_flight_call_finish(start_server):
    server = start_server(f"--shutdown_drain_seconds={DRAIN}",
                          f"--shutdown_grace_seconds={GRACE}")
    client = SqlmillClient(server.address, timeout=30)
    if "sqlmill.v1.SqlParserService" not in client.list_services():
        pytest.skip("this build has no sql_parser service")
    sigterm_sent = threading.Event()

    def chunks():
        yield sql_parser_pb2.ParseScriptChunk(name="stream.sql", content=table(0))
        sigterm_sent.wait(timeout=10)
        for i in range(1, 6):  # keep streaming for ~1 s after SIGTERM
            time.sleep(0.2)
            yield sql_parser_pb2.ParseScriptChunk(content=table(i))

    future = client.parser.ParseScriptStream.future(chunks(), timeout=30)
    time.sleep(0.3)  # the first chunk is on the server
    assert not future.done()
    started = time.monotonic()
    server.terminate()

    # Health turns NOT_SERVING while the server drains (new calls are still answered).
    status = None
    while time.monotonic() - started < DRAIN:
        status = client.health()
        if status == "NOT_SERVING":
            break
        time.sleep(0.05)
    assert status == "NOT_SERVING"
    assert server.http_get("/readyz")[0] == 503
    sigterm_sent.set()

    response = future.result()  # completes normally, with everything that was streamed
    assert time.monotonic() - started > 0.9, "the call must have been in flight after SIGTERM"
    names = sorted(t.name for d in response.catalog.databases for s in d.schemas
                   for t in s.tables)
    assert names == [f"T{i}" for i in range(6)]
    assert not [d for d in response.diagnostics if d.severity == 1]

    assert server.wait(timeout=DRAIN + GRACE + 5) == 0
    assert time.monotonic() - started < DRAIN + GRACE
    log = server.log()
    assert '"msg":"shutdown"' in log and '"msg":"stopped"' in log
    client.close()
