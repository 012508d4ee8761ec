"""sqlmill_client: the Python client the orchestration API uses to call sqlmill's gRPC workers.

    from sqlmill_client import SqlmillClient

    with SqlmillClient("127.0.0.1:50051") as client:
        print(client.health())                       # "SERVING"
        response = client.parse_files({"orders.sql": open("orders.sql", "rb").read()})

The generated protobuf modules (package ``sqlmill.v1``) are built by CMake into
``build/python``; put that directory and ``clients/python`` on PYTHONPATH, or let this
package find ``build/python`` next to the source tree. Run with Debian's ``/usr/bin/python3``
(it has python3-grpcio and python3-protobuf).
"""

from sqlmill_client._paths import ensure_generated_modules

ensure_generated_modules()

from sqlmill_client.client import SqlmillClient, SqlmillError  # noqa: E402

__all__ = ["SqlmillClient", "SqlmillError"]
