"""Fixtures for the Python suites: the real binaries started on loopback ports and talked to
with the real Python grpcio client (Debian's python3-grpcio under /usr/bin/python3)."""

import pytest

from testlib import binary
from testlib.server_process import ServerProcess


@pytest.fixture
def start_server():
    """Starts sqlmill-server with extra flags; every server is killed after the test."""
    started = []

    def start(*flags, name="sqlmill-server"):
        server = ServerProcess(binary(name), list(flags))
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill()


@pytest.fixture
def server(start_server):
    """A default all-in-one server on free loopback ports."""
    return start_server()
