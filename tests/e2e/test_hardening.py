"""Hardening, end to end: bounded work per call and status codes that say what happened.

Each test starts the real server and probes it as a skeptical operator would: a call with
no deadline cannot run forever, a deadline is reported as a deadline, a body that is not a
protobuf message is the client's error, and probes may use HEAD.
"""

import re
import time
import urllib.request

import grpc
import pytest

from testlib import binary  # noqa: F401  (puts the client on sys.path)
from sqlmill.v1 import dbt_compiler_pb2

BOMB = ("{% for a in range(100000) %}{% for b in range(100000) %}"
        "{% endfor %}{% endfor %}done")


def handled(server, method, code):
    status, text = server.http_get("/metrics")
    assert status == 200
    total = 0.0
    for line in text.splitlines():
        if line.startswith("grpc_server_handled_total{"):
            labels = dict(re.findall(r'(\w+)="([^"]*)"', line))
            if labels.get("grpc_method") == method and labels.get("grpc_code") == code:
                total += float(line.split()[-1])
    return total


def render_stub(server):
    channel = grpc.insecure_channel(server.address)
    return channel, channel.unary_unary(
        "/sqlmill.v1.DbtCompilerService/RenderTemplate",
        request_serializer=dbt_compiler_pb2.RenderTemplateRequest.SerializeToString,
        response_deserializer=dbt_compiler_pb2.RenderTemplateResponse.FromString)


def render_bomb_without_deadline(server):
    """Sends BOMB with no deadline at all; returns the RpcError and the seconds it took."""
    channel, render = render_stub(server)
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as error:
        render(dbt_compiler_pb2.RenderTemplateRequest(template=BOMB))
    elapsed = time.monotonic() - started
    channel.close()
    return error, elapsed


def test_a_template_loop_with_default_flags_stops_at_the_step_budget(server):
    error, elapsed = render_bomb_without_deadline(server)
    assert error.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "--max_template_steps" in error.value.details()
    assert ":1:41" in error.value.details(), error.value.details()  # the inner loop
    assert elapsed < 30, elapsed
    deadline = time.monotonic() + 5
    while handled(server, "RenderTemplate", "RESOURCE_EXHAUSTED") != 1:
        assert time.monotonic() < deadline, "the call is not on /metrics"
        time.sleep(0.05)


def test_a_call_without_a_deadline_stops_at_the_servers_limit(start_server):
    server = start_server("--max_call_seconds=1", "--max_template_steps=0")
    error, elapsed = render_bomb_without_deadline(server)
    assert error.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "--max_call_seconds" in error.value.details()
    assert 0.9 < elapsed < 5, elapsed


def test_a_deadline_that_passes_while_running_is_deadline_exceeded(start_server):
    server = start_server("--max_template_steps=0")
    channel, render = render_stub(server)
    with pytest.raises(grpc.RpcError) as error:
        render(dbt_compiler_pb2.RenderTemplateRequest(template=BOMB), timeout=0.5)
    assert error.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    channel.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if handled(server, "RenderTemplate", "DEADLINE_EXCEEDED") == 1:
            break
        time.sleep(0.05)
    assert handled(server, "RenderTemplate", "DEADLINE_EXCEEDED") == 1
    assert handled(server, "RenderTemplate", "CANCELLED") == 0


def test_a_body_that_is_not_a_protobuf_message_is_invalid_argument(server):
    channel = grpc.insecure_channel(server.address)
    raw = channel.unary_unary("/sqlmill.v1.SqlParserService/ParseScript")
    # Field 1 (file) declared as a 100-byte message, but the body ends after 3 bytes.
    with pytest.raises(grpc.RpcError) as error:
        raw(b"\x0a\x64abc", timeout=5)
    channel.close()
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "request is not a valid sqlmill.v1.ParseScriptRequest" in error.value.details()
    assert "/sqlmill.v1.SqlParserService/ParseScript" in error.value.details()


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_probes_may_use_head(server, path):
    request = urllib.request.Request(f"http://127.0.0.1:{server.admin_port}{path}",
                                     method="HEAD")
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
        assert response.read() == b""


def unary_methods():
    """(path, request class) of every unary method the three services serve."""
    from sqlmill.v1 import schema_validator_pb2, sql_parser_pb2
    out = []
    for module in (sql_parser_pb2, dbt_compiler_pb2, schema_validator_pb2):
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                if method.client_streaming or method.server_streaming:
                    continue
                request = getattr(module, method.input_type.name)
                out.append((f"/{service.full_name}/{method.name}", request))
    return out


def test_random_bytes_to_every_rpc_never_crash_and_never_pass_undecodable(server):
    """A bounded wire fuzz: 60 seeded random bodies per unary RPC. Bytes that do not
    decode as the request message (checked with the same C++ protobuf the server uses,
    through python3-protobuf's cpp backend) must be INVALID_ARGUMENT; bytes that decode
    may get any answer but INTERNAL or UNKNOWN; the server stays up and serving."""
    import random
    import warnings
    from google.protobuf.message import DecodeError
    rng = random.Random(20261203)
    channel = grpc.insecure_channel(server.address)
    methods = unary_methods()
    assert len(methods) >= 8
    for path, request_type in methods:
        call = channel.unary_unary(path)
        for _ in range(60):
            body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 120)))
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    request_type.FromString(body)
                    # The cpp backend warns instead of failing on a stray end-group tag;
                    # C++ ParseFromString (the server) rejects it.
                    decodes = not caught
                except DecodeError:
                    decodes = False
            try:
                call(body, timeout=10)
                code = grpc.StatusCode.OK
            except grpc.RpcError as error:
                code = error.code()
                assert error.details(), (path, body, code)
            if not decodes:
                assert code == grpc.StatusCode.INVALID_ARGUMENT, (path, body, code)
            assert code not in (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN), \
                (path, body, code)
    channel.close()
    assert server.process.poll() is None
    assert server.http_get("/healthz")[0] == 200


def test_twenty_thousand_made_up_methods_leave_metrics_small(server):
    """Client-chosen method names never become series: after 20,000 calls to made-up
    methods /metrics stays under 64 KB (it grew to 48 MB before)."""
    channel = grpc.insecure_channel(server.address)
    for first in range(0, 20000, 1000):
        futures = [channel.unary_unary(f"/made.up.S{i}/SELECT_{i}").future(b"", timeout=30)
                   for i in range(first, first + 1000)]
        for future in futures:
            with pytest.raises(grpc.RpcError) as error:
                future.result()
            assert error.value.code() == grpc.StatusCode.UNIMPLEMENTED
    channel.close()
    status, text = server.http_get("/metrics")
    assert status == 200
    assert len(text.encode()) < 64 * 1024, len(text.encode())
    assert 'grpc_server_started_total{grpc_method="unknown",grpc_service="unknown",' \
           'grpc_type="unknown"} 20000' in text


def test_a_response_over_the_message_limit_names_the_flag(start_server):
    """A script under the request limit whose catalog is over the response limit is refused
    with the flag to raise, not gRPC's bare 'Sent message larger than max'."""
    from sqlmill.v1 import sql_parser_pb2, sql_parser_pb2_grpc
    server = start_server("--max_message_bytes=1048576")
    script = "".join(f"CREATE TABLE dbo.T{i} (Id int NOT NULL PRIMARY KEY, Name nvarchar(50));\n"
                     for i in range(9000))
    assert len(script) < 1048576
    channel = grpc.insecure_channel(server.address,
                                    options=[("grpc.max_receive_message_length", -1)])
    stub = sql_parser_pb2_grpc.SqlParserServiceStub(channel)
    with pytest.raises(grpc.RpcError) as error:
        stub.ParseScript(sql_parser_pb2.ParseScriptRequest(
            file=sql_parser_pb2.SourceFile(name="big.sql", content=script.encode())), timeout=60)
    channel.close()
    assert error.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "--max_message_bytes" in error.value.details()
    # The parser stops building the answer as soon as its tables pass the limit.
    assert "the response would be over 1048576 bytes" in error.value.details(), \
        error.value.details()
