"""Helpers shared by the Python test suites (tests/e2e, tests/deploy): where the repository,
the build and ../shared are, and the binaries in the build.

SQLMILL_BUILD_DIR names the CMake build directory (default: <repo>/build).
"""

import os
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD_DIR = os.path.abspath(os.environ.get("SQLMILL_BUILD_DIR", os.path.join(REPO, "build")))
SHARED = os.path.abspath(os.path.join(REPO, "..", "shared"))

for path in (os.path.join(BUILD_DIR, "python"), os.path.join(REPO, "clients", "python")):
    if path not in sys.path:
        sys.path.insert(0, path)


def binary(name):
    """Returns the path of a built binary, failing the test clearly when it is missing."""
    path = os.path.join(BUILD_DIR, "bin", name)
    if not os.path.exists(path):
        pytest.fail(f"{path} is missing: build the project first (make build)")
    return path


def shared_corpus(*parts):
    """Returns a ../shared/corpus path, or skips the test with a clear message."""
    path = os.path.join(SHARED, "corpus", *parts)
    if not os.path.exists(path):
        pytest.skip(f"{path} is absent (../shared is not beside this clone): corpus test skipped")
    return path
