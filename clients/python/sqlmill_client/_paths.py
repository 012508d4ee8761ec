"""Locates the generated protobuf modules (``sqlmill.v1``, ``grpc_spec``)."""

import os
import sys


def ensure_generated_modules():
    """Adds the generated-module directory to sys.path when it is not importable yet.

    Looks at $SQLMILL_PYTHON_GEN, then <repo>/build/python relative to this file.
    """
    try:
        import sqlmill.v1.common_pb2  # noqa: F401
        return
    except ImportError:
        pass
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [
        os.environ.get("SQLMILL_PYTHON_GEN", ""),
        os.path.join(here, "..", "..", "..", "build", "python"),
    ]
    for candidate in candidates:
        if candidate and os.path.isdir(os.path.join(candidate, "sqlmill", "v1")):
            sys.path.insert(0, os.path.abspath(candidate))
            return
    raise ImportError(
        "sqlmill_client: generated modules not found; build the project (make build) or set "
        "SQLMILL_PYTHON_GEN to the directory holding sqlmill/v1/*_pb2.py")
