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


def test_a_call_without_a_deadline_stops_at_the_servers_limit(start_server):
    server = start_server("--max_call_seconds=1")
    channel, render = render_stub(server)
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as error:
        render(dbt_compiler_pb2.RenderTemplateRequest(template=BOMB))  # no deadline at all
    elapsed = time.monotonic() - started
    channel.close()
    assert error.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "--max_call_seconds" in error.value.details()
    assert 0.9 < elapsed < 5, elapsed


def test_a_deadline_that_passes_while_running_is_deadline_exceeded(server):
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
    assert "not a valid protobuf message" in error.value.details()
    assert "ParseScript" in error.value.details()


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_probes_may_use_head(server, path):
    request = urllib.request.Request(f"http://127.0.0.1:{server.admin_port}{path}",
                                     method="HEAD")
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
        assert response.read() == b""
