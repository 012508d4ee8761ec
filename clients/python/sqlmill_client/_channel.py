"""Channel options and the service config shared by SqlmillClient and AsyncSqlmillClient.

What a channel gets (each overridable through the clients' keyword arguments):
  - the target in gRPC's own name syntax: "host:port", "dns:///name:port",
    "ipv4:10.0.0.1:50051,10.0.0.2:50051", "ipv6:[::1]:50051,...";
  - round_robin load balancing for targets that name a resolver scheme (dns:, ipv4:, ipv6:),
    which can yield many addresses; pick_first (gRPC's default) for a bare "host:port";
  - a retry policy for every sqlmill RPC (all are idempotent reads): UNAVAILABLE and
    RESOURCE_EXHAUSTED, 5 attempts, exponential backoff; gRPC honours the server's
    grpc-retry-pushback-ms trailer in place of the backoff for that attempt;
  - grpc.per_rpc_retry_buffer_size of at least the max message size: gRPC stops retrying a
    call (silently) once its sent messages outgrow this buffer, 256 KiB by default;
  - max send/receive message size and client keepalive pings.

Retries and streaming: ParseScriptStream (client-streaming) is retried by gRPC the same way,
as long as every chunk sent so far still fits in the retry buffer and the server has not
answered yet; a stream larger than the buffer is committed to its first server and is not
retried. Health and reflection calls are not retried: a probe should report what it sees.

Thread-safety: pure functions over immutable inputs.
"""

import json

DEFAULT_MAX_MESSAGE_BYTES = 64 << 20

# The services in proto/sqlmill/v1/*.proto. A name without "method" covers all its methods.
RETRIED_SERVICES = (
    "sqlmill.v1.SqlParserService",       # ParseScript, ParseFiles, ParseScriptStream
    "sqlmill.v1.SchemaValidatorService",  # Validate, Diff, ListRules, ExplainType
    "sqlmill.v1.DbtCompilerService",      # CompileProject, CompileNode, RenderTemplate,
                                          # ScaffoldProject
)

DEFAULT_RETRY_POLICY = {
    "maxAttempts": 5,  # gRPC caps this at 5
    "initialBackoff": "0.1s",
    "maxBackoff": "5s",
    "backoffMultiplier": 2,
    "retryableStatusCodes": ["UNAVAILABLE", "RESOURCE_EXHAUSTED"],
}

# Schemes whose resolver may return more than one address.
_MULTI_ADDRESS_SCHEMES = ("dns", "ipv4", "ipv6")


def target_scheme(target):
    """Returns the resolver scheme of a gRPC target ("dns", "ipv4", ...) or "" for host:port."""
    if not isinstance(target, str) or not target.strip():
        raise ValueError(f"sqlmill_client: expected a target like 'host:port', "
                         f"'dns:///name:port' or 'ipv4:a:p,b:p' but found {target!r}")
    head, sep, rest = target.partition(":")
    # "host:port" also has a colon: a scheme is a known word followed by an address, not
    # digits (a port). "localhost:50051" and "[::1]:50051" have no scheme.
    if sep and head.lower() in ("dns", "ipv4", "ipv6", "unix", "unix-abstract", "vsock") \
            and not rest.isdigit():
        if not rest.strip("/"):
            raise ValueError(f"sqlmill_client: target {target!r} names no address after "
                             f"'{head}:'")
        return head.lower()
    return ""


def service_config(target, *, retries=True, retry_policy=None, load_balancing=None):
    """Returns the service config (a dict) for a channel to target.

    retries=False leaves the retry policy out; retry_policy updates DEFAULT_RETRY_POLICY's
    keys; load_balancing ("round_robin", "pick_first") overrides the choice by scheme.
    """
    config = {}
    policy = load_balancing
    if policy is None and target_scheme(target) in _MULTI_ADDRESS_SCHEMES:
        policy = "round_robin"
    if policy:
        config["loadBalancingConfig"] = [{policy: {}}]
    if retries:
        merged = dict(DEFAULT_RETRY_POLICY)
        merged.update(retry_policy or {})
        config["methodConfig"] = [{
            "name": [{"service": s} for s in RETRIED_SERVICES],
            "retryPolicy": merged,
        }]
    return config


def channel_options(target, *, max_message_bytes=DEFAULT_MAX_MESSAGE_BYTES, retries=True,
                    retry_policy=None, load_balancing=None, keepalive_time_seconds=30,
                    keepalive_timeout_seconds=10, retry_buffer_bytes=None, options=None):
    """Returns the channel options (a list of (key, value)) for a channel to target.

    options: extra (key, value) pairs; a key given here replaces the one computed.
    keepalive_time_seconds=0 turns client keepalive pings off. The server refuses pings more
    often than every 10 s (GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS), so shorter
    intervals are rejected here rather than earning a GOAWAY later.
    """
    if max_message_bytes <= 0:
        raise ValueError(f"sqlmill_client: max_message_bytes must be positive, "
                         f"found {max_message_bytes}")
    if keepalive_time_seconds and keepalive_time_seconds < 10:
        raise ValueError(f"sqlmill_client: keepalive_time_seconds must be 0 (off) or at least "
                         f"10 (the server's minimum ping interval), found {keepalive_time_seconds}")
    computed = {
        "grpc.max_send_message_length": max_message_bytes,
        "grpc.max_receive_message_length": max_message_bytes,
        "grpc.enable_retries": 1 if retries else 0,
        # At least one whole request, or a large request is never retried.
        "grpc.per_rpc_retry_buffer_size": max(retry_buffer_bytes or 0, max_message_bytes),
        # Ours, not one a DNS TXT record might carry.
        "grpc.service_config_disable_resolution": 1,
        "grpc.service_config": json.dumps(service_config(
            target, retries=retries, retry_policy=retry_policy,
            load_balancing=load_balancing)),
    }
    if keepalive_time_seconds:
        computed.update({
            "grpc.keepalive_time_ms": int(keepalive_time_seconds * 1000),
            "grpc.keepalive_timeout_ms": int(keepalive_timeout_seconds * 1000),
            # Ping only while calls are in flight: an idle client costs the server nothing.
            "grpc.keepalive_permit_without_calls": 0,
            "grpc.http2.max_pings_without_data": 0,
        })
    for key, value in options or ():
        computed[key] = value
    return list(computed.items())
