"""End-to-end tests of the server runtime every binary shares: health, reflection, metrics,
admin HTTP, structured logs, limits, TLS. The real sqlmill-server binary on loopback, the
real Python grpcio client."""

import json
import os
import subprocess
import time

import grpc
import pytest

from testlib import binary  # noqa: F401  (also puts the client on sys.path)
from sqlmill_client import SqlmillClient, SqlmillError


def test_health_is_serving(server):
    with SqlmillClient(server.address, timeout=5) as client:
        assert client.health() == "SERVING"
    assert server.http_get("/healthz") == (200, "ok\n")
    assert server.http_get("/readyz") == (200, "ready\n")


def test_health_of_an_unknown_service_is_not_found(server):
    with SqlmillClient(server.address, timeout=5) as client:
        with pytest.raises(SqlmillError) as error:
            client.health("no.such.Service")
    assert error.value.code == grpc.StatusCode.NOT_FOUND


def test_reflection_lists_the_services(server):
    with SqlmillClient(server.address, timeout=5) as client:
        services = client.list_services()
    assert "grpc.health.v1.Health" in services
    assert "grpc.reflection.v1alpha.ServerReflection" in services


def test_metrics_count_calls_after_they_happen(server):
    with SqlmillClient(server.address, timeout=5) as client:
        for _ in range(3):
            client.health()
    status, text = server.http_get("/metrics")
    assert status == 200
    labels = 'grpc_method="Check",grpc_service="grpc.health.v1.Health",grpc_type="unary"'
    assert f'grpc_server_started_total{{{labels}}} 3' in text
    assert f'grpc_server_handled_total{{grpc_code="OK",{labels}}} 3' in text
    assert f'grpc_server_handling_seconds_count{{{labels}}} 3' in text
    assert "# TYPE grpc_server_handling_seconds histogram" in text
    for name in ("process_cpu_seconds_total", "process_resident_memory_bytes",
                 "process_open_fds", "process_start_time_seconds"):
        assert f"\n{name} " in text, name


def test_one_json_log_line_per_rpc_without_payload(server):
    secret = "SELECT_SECRET_PAYLOAD"
    with SqlmillClient(server.address, timeout=5) as client:
        with pytest.raises(SqlmillError):
            client.health(secret)
    deadline = time.monotonic() + 5
    rpc_lines = []
    while time.monotonic() < deadline and not rpc_lines:
        rpc_lines = [json.loads(line) for line in server.log().splitlines()
                     if '"msg":"rpc"' in line]
        time.sleep(0.05)
    assert rpc_lines, server.log()
    line = rpc_lines[-1]
    assert line["method"] == "/grpc.health.v1.Health/Check"
    assert line["code"] == "NOT_FOUND"
    assert line["duration_ms"] >= 0
    assert line["request_bytes"] > len(secret)
    assert line["peer"].startswith("ipv4:127.0.0.1:")
    assert secret not in server.log()


def test_oversized_request_is_resource_exhausted_not_a_crash(start_server):
    server = start_server("--max_message_bytes=65536")
    with SqlmillClient(server.address, timeout=5, max_message_bytes=1 << 20) as client:
        with pytest.raises(SqlmillError) as error:
            client.health("x" * 100_000)
        assert error.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "larger than max" in error.value.details
        assert "65536" in error.value.details
        assert client.health() == "SERVING"  # still up
    assert server.process.poll() is None


def test_sigterm_with_no_calls_exits_promptly(start_server):
    server = start_server("--shutdown_grace_seconds=5")
    started = time.monotonic()
    server.terminate()
    assert server.wait(timeout=10) == 0
    assert time.monotonic() - started < 5
    assert '"msg":"stopped"' in server.log()


def test_bad_flags_exit_with_a_clear_message():
    from testlib import binary
    result = subprocess.run([binary("sqlmill-server"), "--port=notaport"], capture_output=True,
                            text=True, timeout=10)
    assert result.returncode == 2
    assert "--port" in result.stderr and "'notaport'" in result.stderr


def test_port_in_use_is_a_clear_start_up_error(server):
    from testlib import binary
    result = subprocess.run([binary("sqlmill-server"), "--host=127.0.0.1",
                             f"--port={server.port}", "--admin_port=-1"],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 1
    assert f"127.0.0.1:{server.port}" in result.stderr


def _make_certificates(directory):
    """A CA, a server certificate for 127.0.0.1/localhost and a client certificate."""
    def run(*args):
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=sqlmill-test-ca")
    for name in ("server", "client"):
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out",
            f"{name}.csr", "-subj", f"/CN={name}")
        with open(os.path.join(directory, f"{name}.ext"), "w") as ext:
            ext.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
        run("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext")

    def read(name):
        with open(os.path.join(directory, name), "rb") as handle:
            return handle.read()
    return read


def test_mutual_tls(start_server, tmp_path):
    read = _make_certificates(str(tmp_path))
    server = start_server(f"--tls_cert_file={tmp_path}/server.pem",
                          f"--tls_key_file={tmp_path}/server.key",
                          f"--tls_ca_file={tmp_path}/ca.pem", "--tls_require_client_cert")
    with SqlmillClient(server.address, timeout=5, root_certificates=read("ca.pem"),
                       private_key=read("client.key"),
                       certificate_chain=read("client.pem")) as client:
        assert client.health() == "SERVING"
    # Without a client certificate the handshake is refused.
    with SqlmillClient(server.address, timeout=3, root_certificates=read("ca.pem")) as client:
        with pytest.raises(SqlmillError) as error:
            client.health()
        assert error.value.code == grpc.StatusCode.UNAVAILABLE
    # A plaintext client cannot talk to a TLS server.
    with SqlmillClient(server.address, timeout=3) as client:
        with pytest.raises(SqlmillError):
            client.health()


@pytest.mark.parametrize("name,service", [
    ("sql-parser-server", "sqlmill.v1.SqlParserService"),
    ("dbt-compiler-server", "sqlmill.v1.DbtCompilerService"),
    ("schema-validator-server", "sqlmill.v1.SchemaValidatorService"),
])
def test_each_service_has_its_own_binary(start_server, name, service):
    from testlib import BUILD_DIR
    if not os.path.exists(os.path.join(BUILD_DIR, "bin", name)):
        pytest.skip(f"{name} is not part of this build")
    server = start_server(name=name)
    with SqlmillClient(server.address, timeout=5) as client:
        assert [s for s in client.list_services() if s.startswith("sqlmill.")] == [service]
        assert client.health(service) == "SERVING"
