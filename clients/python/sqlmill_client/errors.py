"""SqlmillError: the one exception the sqlmill clients raise for a request-level failure.

Content findings (parse errors, rule violations, a model that does not compile) are not
errors: they come back as Diagnostic messages inside an OK response (docs/error_model.md).

The server's non-OK statuses carry a code and a message only (common/server/status_mapping.cc
maps absl::Status to grpc::Status without details; the only trailing metadata a server adds
is grpc-retry-pushback-ms when it sheds load), so that is what this exception carries.

Thread-safety: instances are immutable after construction.
"""

import grpc


class SqlmillError(Exception):
    """A request-level failure: the gRPC status code and the server's message."""

    def __init__(self, code, details):
        super().__init__(f"{code.name}: {details}")
        self.code = code
        self.details = details

    @classmethod
    def from_rpc_error(cls, error):
        """Returns the SqlmillError for a grpc.RpcError (sync or grpc.aio)."""
        code = error.code() if callable(getattr(error, "code", None)) else grpc.StatusCode.UNKNOWN
        details = error.details() if callable(getattr(error, "details", None)) else str(error)
        return cls(code, details)

    def __reduce__(self):
        # Picklable, so it can cross a process pool like any result.
        return (type(self), (self.code, self.details))
