"""Shared fixtures for end-to-end tests: the real binaries started on loopback ports, talked
to with the real Python grpcio client (Debian's python3-grpcio under /usr/bin/python3).

SQLMILL_BUILD_DIR names the CMake build directory (default: <repo>/build).
"""

import os
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD_DIR = os.path.abspath(os.environ.get("SQLMILL_BUILD_DIR", os.path.join(REPO, "build")))
SHARED = os.path.abspath(os.path.join(REPO, "..", "shared"))

sys.path.insert(0, os.path.join(BUILD_DIR, "python"))
sys.path.insert(0, os.path.join(REPO, "clients", "python"))
sys.path.insert(0, os.path.dirname(__file__))

from server_process import ServerProcess  # noqa: E402


def binary(name):
    path = os.path.join(BUILD_DIR, "bin", name)
    if not os.path.exists(path):
        pytest.fail(f"{path} is missing: build the project first (make build)")
    return path


@pytest.fixture
def start_server():
    """Starts sqlmill-server with extra flags; every server is stopped after the test."""
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
