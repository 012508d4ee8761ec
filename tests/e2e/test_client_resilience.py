"""End-to-end tests of the Python clients' resilience against real sqlmill-server binaries:
round_robin over an ipv4: address list, retries that survive a SIGKILLed server for requests
larger than gRPC's default 256 KiB retry buffer, retries of RESOURCE_EXHAUSTED load shedding
(with the server's grpc-retry-pushback-ms), and the grpc.aio client's parity with the sync one.
"""

import asyncio
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest

from testlib import REPO
from sqlmill_client import AsyncSqlmillClient, SqlmillClient, SqlmillError
from sqlmill.v1 import schema_validator_pb2 as sv_pb

RETAIL = os.path.join(REPO, "examples", "sqlserver", "retail")
DBT_EXAMPLE = os.path.join(REPO, "examples", "dbt", "retail_analytics")

# ~400 KB, over gRPC's default per-RPC retry buffer (256 KiB): ~200 KB of real tables (some
# 40 ms of parsing, so a SIGKILL lands inside a call) and then comment lines the lexer skips
# cheaply, so 300 calls take seconds.
_TABLE = "CREATE TABLE dbo.T{i} (id INT NOT NULL PRIMARY KEY, name NVARCHAR(200) NULL);\nGO\n"
BIG_SCRIPT = ("".join(_TABLE.format(i=i) for i in range(2500))
              + ("-- " + "x" * 76 + "\n") * 2500)
# ~490 KB of real tables: about 0.1 s of parsing, to keep one worker busy.
SLOW_SCRIPT = "".join(
    ("CREATE TABLE dbo.T{i} (id INT NOT NULL PRIMARY KEY, name NVARCHAR(200) NULL, "
     "amount DECIMAL(18,2) NOT NULL, created DATETIME2 NOT NULL);\nGO\n").format(i=i)
    for i in range(3500))
# Deterministically refused: over the default nesting limit of 200.
TOO_DEEP = "SELECT " + "(" * 250 + "1" + ")" * 250 + ";\n"


def metric(server, name, body=None, **labels):
    """Returns the sum of a metric's samples whose labels include `labels`."""
    if body is None:
        _status, body = server.http_get("/metrics")
    total = 0.0
    for line in body.splitlines():
        match = re.match(rf"{name}\{{(.*)\}} (\S+)$", line)
        if not match:
            continue
        have = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
        if all(have.get(k) == v for k, v in labels.items()):
            total += float(match.group(2))
    return total


def parse_script_count(server, **labels):
    return metric(server, "grpc_server_handled_total", grpc_method="ParseScript", **labels)


def in_flight(server):
    _status, body = server.http_get("/metrics")  # one scrape: both counters at one moment
    return (metric(server, "grpc_server_started_total", body, grpc_method="ParseScript")
            - metric(server, "grpc_server_handled_total", body, grpc_method="ParseScript"))


def run_loop_killing_one(servers, *, retries, calls=300, kill_after=100, threads=6):
    """Runs `calls` ParseScript calls of BIG_SCRIPT over an ipv4: list of the servers,
    SIGKILLs servers[0] while it has a call in flight once `kill_after` calls are done, and
    returns (failures, per-server OK counts read just before the kill)."""
    target = "ipv4:" + ",".join(s.address for s in servers)
    victim = servers[0]
    done = []
    with SqlmillClient(target, timeout=20, retries=retries) as client:
        def one(i):
            try:
                client.parse_script(f"big{i}.sql", BIG_SCRIPT)
                result = None
            except SqlmillError as error:
                result = error
            done.append(i)
            return result

        with ThreadPoolExecutor(max_workers=threads) as pool:
            futures = [pool.submit(one, i) for i in range(calls)]
            deadline = time.monotonic() + 30
            while len(done) < kill_after and time.monotonic() < deadline:
                time.sleep(0.01)
            assert len(done) >= kill_after, "the loop made no progress"
            before = [parse_script_count(s, grpc_code="OK") for s in servers]
            # Kill while the victim is running a call, so a call really is cut off.
            for _ in range(500):
                if in_flight(victim) > 0:
                    break
            victim.process.kill()
            results = [f.result(timeout=60) for f in futures]
    return [r for r in results if r is not None], before


def test_round_robin_spreads_calls_and_retries_survive_a_killed_server(start_server):
    servers = [start_server("--workers=1") for _ in range(3)]
    failures, before_kill = run_loop_killing_one(servers, retries=True)
    assert failures == [], f"{len(failures)} calls failed: {failures[:3]}"
    # round_robin: every server took a fair share before the kill.
    assert all(count >= 15 for count in before_kill), before_kill
    # The survivors took the rest, retried calls included.
    survivors = [parse_script_count(s, grpc_code="OK") for s in servers[1:]]
    assert sum(survivors) >= 300 - 100 - 10, survivors


# A render that runs for seconds (well inside --max_template_steps), so a SIGKILL certainly
# lands while it runs.
LONG_RENDER = "{% for i in range(2000000) %}{% endfor %}done"


def kill_during_a_long_call(servers, *, retries):
    """Starts LONG_RENDER through an ipv4: list of the servers, SIGKILLs whichever server is
    running it once it has started, and returns the call's result or its SqlmillError."""
    target = "ipv4:" + ",".join(s.address for s in servers)
    with SqlmillClient(target, timeout=60, retries=retries) as client:
        with ThreadPoolExecutor(max_workers=1) as pool:
            call = pool.submit(lambda: client.render_template(LONG_RENDER))
            running = None
            deadline = time.monotonic() + 20
            while running is None and time.monotonic() < deadline and not call.done():
                for s in servers:
                    _status, body = s.http_get("/metrics")
                    if (metric(s, "grpc_server_started_total", body, grpc_method="RenderTemplate")
                            - metric(s, "grpc_server_handled_total", body, grpc_method="RenderTemplate")) > 0:
                        running = s
                        break
                time.sleep(0.01)
            assert running is not None and not call.done(), "the long render never showed as running"
            running.process.kill()
            try:
                return call.result(timeout=90)
            except SqlmillError as error:
                return error


def test_without_retries_a_killed_server_fails_the_call_it_was_running(start_server):
    servers = [start_server("--workers=1") for _ in range(2)]
    result = kill_during_a_long_call(servers, retries=False)
    assert isinstance(result, SqlmillError), "the call survived its server's SIGKILL without retries"
    assert result.code == grpc.StatusCode.UNAVAILABLE, result


def test_with_retries_the_same_call_finishes_on_the_other_server(start_server):
    servers = [start_server("--workers=1") for _ in range(2)]
    result = kill_during_a_long_call(servers, retries=True)
    assert not isinstance(result, SqlmillError), result
    assert result.output == "done"


def fire_concurrently(client, count):
    def one(i):
        try:
            return client.parse_script(f"slow{i}.sql", SLOW_SCRIPT)
        except SqlmillError as error:
            return error
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_load_shedding_is_retried_with_pushback(start_server):
    server = start_server("--workers=1", "--max_queued_calls=1")
    with SqlmillClient(server.address, timeout=30, retries=False) as client:
        refused = [r for r in fire_concurrently(client, 8) if isinstance(r, SqlmillError)]
    # One runs, one waits, the rest are shed with a pushback.
    assert refused and all(e.code == grpc.StatusCode.RESOURCE_EXHAUSTED for e in refused)
    assert "retry in" in refused[0].details
    shed_before = parse_script_count(server, grpc_code="RESOURCE_EXHAUSTED")

    with SqlmillClient(server.address, timeout=30) as client:
        results = fire_concurrently(client, 8)
    errors = [r for r in results if isinstance(r, SqlmillError)]
    assert errors == [], errors[:3]
    # The server shed attempts again; gRPC retried them until they ran.
    assert parse_script_count(server, grpc_code="RESOURCE_EXHAUSTED") > shed_before


def test_parse_many_keeps_order_and_reports_a_bad_file_in_its_slot(server):
    files = [("a.sql", "CREATE TABLE dbo.A (id INT);"), ("deep.sql", TOO_DEEP),
             ("b.sql", "CREATE TABLE dbo.B (id INT);"), ("c.sql", b"CREATE VIEW dbo.C AS SELECT 1 AS x;")]
    # retries=False: the nesting limit is a RESOURCE_EXHAUSTED that retrying cannot cure.
    with SqlmillClient(server.address, retries=False) as client:
        results = client.parse_many(files, concurrency=2)
        expected = [client.parse_script(n, c) for n, c in files if n != "deep.sql"]

    async def run():
        async with AsyncSqlmillClient(server.address, retries=False) as client:
            return await client.parse_many(dict(files), concurrency=2)
    async_results = asyncio.run(run())

    for got in (results, async_results):
        assert len(got) == 4
        assert isinstance(got[1], SqlmillError)
        assert got[1].code == grpc.StatusCode.RESOURCE_EXHAUSTED and "nest" in got[1].details
        assert [r.catalog for i, r in enumerate(got) if i != 1] == [e.catalog for e in expected]
    with pytest.raises(ValueError):
        SqlmillClient(server.address).parse_many(files, concurrency=0)


def test_a_limit_error_is_not_retried(server):
    """The server marks a call that ran into a limit with a negative pushback, so a retrying
    client gives up at once instead of sending the same refused call five times."""
    before = parse_script_count(server, grpc_code="RESOURCE_EXHAUSTED")
    with SqlmillClient(server.address) as client:  # retries on (the default)
        with pytest.raises(SqlmillError) as refused:
            client.parse_script("deep.sql", TOO_DEEP)
    assert refused.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED and "nest" in refused.value.details
    assert parse_script_count(server, grpc_code="RESOURCE_EXHAUSTED") == before + 1


def without_stats(message):
    copy = type(message)()
    copy.CopyFrom(message)
    if "stats" in copy.DESCRIPTOR.fields_by_name:
        copy.ClearField("stats")  # timings differ from call to call
    return copy


def test_async_client_answers_like_the_sync_client(server):
    with SqlmillClient(server.address) as client:
        services = client.list_services()
        for needed in ("SqlParserService", "SchemaValidatorService", "DbtCompilerService"):
            if f"sqlmill.v1.{needed}" not in services:
                pytest.skip(f"this build has no {needed}")
        parsed = client.parse_paths(RETAIL)
        request = sv_pb.ValidateRequest(schema=sv_pb.SchemaInput(catalog=parsed.catalog),
                                        target="snowflake")
        validated = client.validate(request)
        compiled = client.compile_project_dir(DBT_EXAMPLE, adapter_type="postgres",
                                              database="db", schema="public")
        rendered = client.render_template("{{ x + 1 }}", {"x": 41})

    async def run():
        async with AsyncSqlmillClient(server.address) as client:
            assert await client.health() == "SERVING"
            assert await client.list_services() == services
            results = await asyncio.gather(
                client.parse_paths(RETAIL), client.validate(request),
                client.compile_project_dir(DBT_EXAMPLE, adapter_type="postgres",
                                           database="db", schema="public"),
                client.render_template("{{ x + 1 }}", {"x": 41}))
            with pytest.raises(SqlmillError) as error:
                await client.validate(sv_pb.ValidateRequest(
                    schema=sv_pb.SchemaInput(catalog=parsed.catalog), target="oracle-9i"))
            assert error.value.code == grpc.StatusCode.INVALID_ARGUMENT
            return results

    a_parsed, a_validated, a_compiled, a_rendered = asyncio.run(run())
    assert without_stats(a_parsed) == without_stats(parsed)
    assert without_stats(a_validated) == without_stats(validated)
    assert without_stats(a_compiled) == without_stats(compiled)
    assert a_rendered == rendered


@pytest.mark.parametrize("target", ["dns:///localhost:{port}", "ipv4:127.0.0.1:{port}",
                                    "127.0.0.1:{port}"])
def test_target_syntaxes(server, target):
    with SqlmillClient(target.format(port=server.port), timeout=10) as client:
        assert client.health() == "SERVING"
        assert client.parse_script("a.sql", "CREATE TABLE dbo.A (id INT);").catalog


def test_bad_targets_and_options_are_refused():
    for target in ("", "ipv4:", "dns:///"):
        with pytest.raises(ValueError):
            SqlmillClient(target)
    with pytest.raises(ValueError):
        SqlmillClient("127.0.0.1:1", keepalive_time_seconds=1)
