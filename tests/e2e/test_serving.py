"""The serving path under concurrency, end to end: a real server binary, real grpcio calls.

CPU work runs on a fixed worker pool behind a bounded call queue (--workers,
--max_queued_calls). These tests hold what a caller fanning out work relies on: a realistic
fan-out queues instead of failing, only a full queue sheds (RESOURCE_EXHAUSTED with a
grpc-retry-pushback-ms trailer), a deadline that passes in the queue ends the call without
running it, and SIGTERM never drops an accepted call silently.

A worker is kept busy by a RenderTemplate call with a long loop and its own deadline; the
tests wait on the server's own gauges (/metrics) instead of sleeping for a guessed time.
"""

import os
import re
import threading
import time

import grpc
import pytest

from testlib import REPO, binary  # noqa: F401  (puts the client on sys.path)
from sqlmill_client import SqlmillClient
from sqlmill.v1 import dbt_compiler_pb2, sql_parser_pb2

PARSER = "sqlmill.v1.SqlParserService"
# Runs until its deadline on a server started with --max_template_steps=0 (with the default
# step budget it ends in a fraction of a second).
BUSY_TEMPLATE = ("{% for a in range(100000) %}{% for b in range(100000) %}"
                 "{% endfor %}{% endfor %}done")


def one_table(i):
    return sql_parser_pb2.ParseScriptRequest(file=sql_parser_pb2.SourceFile(
        name=f"t{i}.sql",
        content=f"CREATE TABLE dbo.T{i} (Id int NOT NULL PRIMARY KEY, Name nvarchar(50));\n"
                .encode()))


def table_names(response):
    return [t.name for d in response.catalog.databases for s in d.schemas for t in s.tables]


def metric(server, name, **labels):
    """The value of one series on /metrics (0 when it is absent)."""
    status, text = server.http_get("/metrics")
    assert status == 200
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        series, value = line.rsplit(" ", 1)
        found = dict(re.findall(r'(\w+)="([^"]*)"', series))
        if series.split("{")[0] == name and all(found.get(k) == v for k, v in labels.items()):
            return float(value)
    return 0.0


def wait_for(predicate, what, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def occupy_workers(server, client, count, seconds):
    """Starts `count` RenderTemplate calls that keep a worker busy until their deadline."""
    futures = [client.compiler.RenderTemplate.future(
        dbt_compiler_pb2.RenderTemplateRequest(template=BUSY_TEMPLATE), timeout=seconds)
        for _ in range(count)]
    wait_for(lambda: metric(server, "sqlmill_worker_busy_threads") >= count,
             f"{count} busy workers")
    return futures


def test_128_concurrent_parse_script_calls_all_succeed_with_default_flags(server):
    with SqlmillClient(server.address, timeout=60) as client:
        for round_ in range(3):
            futures = [client.parser.ParseScript.future(one_table(i), timeout=60)
                       for i in range(128)]
            for i, future in enumerate(futures):
                assert table_names(future.result()) == [f"T{i}"], (round_, i)
    assert metric(server, "grpc_server_handled_total", grpc_method="ParseScript",
                  grpc_code="OK") == 3 * 128
    assert metric(server, "sqlmill_calls_shed_total", grpc_method="ParseScript") == 0


def test_a_full_queue_sheds_with_a_pushback_trailer_and_recovers(start_server):
    server = start_server("--workers=1", "--max_queued_calls=1", "--max_template_steps=0")
    # The server's own shedding, seen by a client that does not retry.
    with SqlmillClient(server.address, timeout=30, retries=False) as client:
        busy = occupy_workers(server, client, 1, seconds=3.0)
        queued = client.parser.ParseScript.future(one_table(0), timeout=30)
        wait_for(lambda: metric(server, "sqlmill_call_queue_length") == 1, "one queued call")

        shed = []
        for i in range(1, 6):
            with pytest.raises(grpc.RpcError) as error:
                client.parser.ParseScript(one_table(i), timeout=10)
            shed.append(error.value)
        for error in shed:
            assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            assert "--max_queued_calls" in error.details()
            trailer = dict(error.trailing_metadata() or ())
            assert "grpc-retry-pushback-ms" in trailer, trailer
            assert 10 <= int(trailer["grpc-retry-pushback-ms"]) <= 10000

        # The queued call was accepted: it runs once the worker is free.
        assert table_names(queued.result()) == ["T0"]
        with pytest.raises(grpc.RpcError) as error:
            busy[0].result()
        assert error.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        # Recovered: calls succeed again.
        for i in range(10):
            assert table_names(client.parser.ParseScript(one_table(i), timeout=10)) == [f"T{i}"]
    assert metric(server, "sqlmill_calls_shed_total", grpc_service=PARSER,
                  grpc_method="ParseScript") == 5
    assert metric(server, "grpc_server_handled_total", grpc_method="ParseScript",
                  grpc_code="RESOURCE_EXHAUSTED") == 5
    assert metric(server, "sqlmill_call_queue_capacity") == 1
    assert metric(server, "sqlmill_worker_threads") == 1


def test_a_deadline_that_passes_in_the_queue_ends_the_call_without_running_it(start_server):
    server = start_server("--workers=1", "--max_template_steps=0")
    with SqlmillClient(server.address, timeout=30) as client:
        busy = occupy_workers(server, client, 1, seconds=2.0)
        with pytest.raises(grpc.RpcError) as error:
            client.parser.ParseScript(one_table(0), timeout=0.3)
        assert error.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        with pytest.raises(grpc.RpcError):
            busy[0].result()
        wait_for(lambda: metric(server, "sqlmill_calls_expired_total", grpc_service=PARSER,
                                grpc_method="ParseScript", reason="deadline") == 1,
                 "the expired-in-queue counter")
        # It was not run: the parser's handled count shows it as DEADLINE_EXCEEDED, and the
        # queue wait it spent is recorded.
        assert metric(server, "grpc_server_handled_total", grpc_method="ParseScript",
                      grpc_code="DEADLINE_EXCEEDED") == 1
        assert metric(server, "grpc_server_handled_total", grpc_method="ParseScript",
                      grpc_code="OK") == 0
        assert metric(server, "sqlmill_call_queue_wait_seconds_count", grpc_service=PARSER,
                      grpc_method="ParseScript") == 1


def medium_script(i):
    body = "".join(f"CREATE TABLE dbo.T{i}_{j} (Id int NOT NULL PRIMARY KEY, A nvarchar(40), "
                   f"B decimal(18,2) NULL, C datetime2 NOT NULL);\nGO\n" for j in range(200))
    return sql_parser_pb2.ParseScriptRequest(
        file=sql_parser_pb2.SourceFile(name=f"m{i}.sql", content=body.encode()))


def rpc_log_codes(server, method):
    """The codes of the per-RPC log lines of one method."""
    import json
    codes = []
    for line in server.log().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("msg") == "rpc" and record.get("method") == method:
            codes.append(record.get("code"))
    return codes


def test_sigterm_with_64_calls_queued_or_running_completes_them_all(start_server):
    server = start_server("--workers=1", "--shutdown_drain_seconds=0",
                          "--shutdown_grace_seconds=30")
    with SqlmillClient(server.address, timeout=60) as client:
        futures = [client.parser.ParseScript.future(medium_script(i), timeout=60)
                   for i in range(64)]
        # Every call accepted (started) and many still waiting, then SIGTERM.
        wait_for(lambda: metric(server, "grpc_server_started_total",
                                grpc_method="ParseScript") == 64, "64 accepted calls")
        assert metric(server, "sqlmill_call_queue_length") >= 16
        server.terminate()
        for i, future in enumerate(futures):
            assert len(table_names(future.result(timeout=60))) == 200, i
    assert server.wait(timeout=40) == 0
    codes = rpc_log_codes(server, "/sqlmill.v1.SqlParserService/ParseScript")
    assert codes == ["OK"] * 64


def test_sigterm_with_too_little_grace_ends_every_call_with_a_clear_status(start_server):
    """One call holds the only worker past the grace period and 63 wait behind it: each
    call ends with a status and a message, none hangs or is dropped silently."""
    server = start_server("--workers=1", "--shutdown_drain_seconds=0",
                          "--shutdown_grace_seconds=0.5", "--max_template_steps=0")
    with SqlmillClient(server.address, timeout=60) as client:
        busy = occupy_workers(server, client, 1, seconds=60)
        futures = busy + [client.parser.ParseScript.future(medium_script(i), timeout=60)
                          for i in range(63)]
        wait_for(lambda: metric(server, "sqlmill_call_queue_length") == 63, "63 queued calls")
        started = time.monotonic()
        server.terminate()
        outcomes = {}
        for i, future in enumerate(futures):
            with pytest.raises(grpc.RpcError) as error:
                future.result(timeout=30)
            code = error.value.code()
            assert code in (grpc.StatusCode.CANCELLED, grpc.StatusCode.UNAVAILABLE), (i, code)
            assert error.value.details(), (i, error.value)
            outcomes[code.name] = outcomes.get(code.name, 0) + 1
        assert time.monotonic() - started < 15
    assert server.wait(timeout=15) == 0
    assert sum(outcomes.values()) == 64, outcomes
    # The server accounts for every call too: one log line each, none OK.
    codes = rpc_log_codes(server, "/sqlmill.v1.SqlParserService/ParseScript")
    assert len(codes) == 63 and "OK" not in codes, codes


def test_the_metrics_documented_in_the_readme_are_on_metrics(server):
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    section = readme.split("## Running the server", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`((?:sqlmill|grpc_server)_[a-z_]+)", section))
    assert {"sqlmill_call_queue_length", "sqlmill_calls_shed_total",
            "sqlmill_call_queue_wait_seconds", "sqlmill_calls_expired_total"} <= documented
    with SqlmillClient(server.address, timeout=10) as client:
        client.parse_script("a.sql", "CREATE TABLE t (a int);")
    status, text = server.http_get("/metrics")
    assert status == 200
    exposed = set(re.findall(r"^# TYPE (\w+) ", text, re.M))
    missing = sorted(documented - exposed)
    assert not missing, f"documented in README.md but not on /metrics: {missing}"


def test_calls_to_unknown_methods_share_one_series_and_stay_out_of_the_logs(server):
    channel = grpc.insecure_channel(server.address)
    for i in range(50):
        call = channel.unary_unary(f"/made.up.Service{i}/SELECT_secret_{i}")
        with pytest.raises(grpc.RpcError) as error:
            call(b"", timeout=5)
        assert error.value.code() == grpc.StatusCode.UNIMPLEMENTED
    channel.close()
    wait_for(lambda: metric(server, "grpc_server_handled_total", grpc_service="unknown",
                            grpc_method="unknown", grpc_code="UNIMPLEMENTED") == 50,
             "50 unknown calls counted")
    status, text = server.http_get("/metrics")
    assert "made.up" not in text and "SELECT_secret" not in text
    time.sleep(0.2)  # the per-RPC lines are written within 50 ms
    assert "SELECT_secret" not in server.log()
    assert server.log().count('"method":"unknown"') == 50
