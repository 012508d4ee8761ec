"""sqlmill_client: the Python clients the orchestration API uses to call sqlmill's gRPC workers.

    from sqlmill_client import SqlmillClient, AsyncSqlmillClient, SqlmillError

    with SqlmillClient("127.0.0.1:50051") as client:
        print(client.health())                       # "SERVING"
        response = client.parse_files({"orders.sql": open("orders.sql", "rb").read()})

    async with AsyncSqlmillClient("ipv4:10.0.0.1:50051,10.0.0.2:50051") as client:
        results = await client.parse_many(files)     # responses or SqlmillErrors, in order

Layout: client.py (sync), aio.py (grpc.aio), errors.py (SqlmillError); _channel.py (channel
options, retry and load-balancing service config) and _requests.py (request builders) are
shared by both clients; _files.py reads and writes local files.

The generated protobuf modules (package ``sqlmill.v1``) are built by CMake into
``build/python``; put that directory and ``clients/python`` on PYTHONPATH, or let this
package find ``build/python`` next to the source tree. Run with Debian's ``/usr/bin/python3``
(it has python3-grpcio and python3-protobuf).
"""

from sqlmill_client._version import __version__
from sqlmill_client._paths import ensure_generated_modules

ensure_generated_modules()

from sqlmill_client.errors import SqlmillError  # noqa: E402
from sqlmill_client.client import SqlmillClient  # noqa: E402
from sqlmill_client.aio import AsyncSqlmillClient  # noqa: E402

__all__ = ["AsyncSqlmillClient", "SqlmillClient", "SqlmillError", "__version__"]
