"""SqlmillClient: the synchronous client over the sqlmill gRPC services.

Each method builds the request message (sqlmill_client._requests, shared with the grpc.aio
client in sqlmill_client.aio), calls the RPC with a deadline and returns the response message
(protobuf). Request-level failures raise SqlmillError carrying the gRPC status code and
message; content findings (parse errors, rule violations) come back inside the response as
diagnostics, as the services define. The channel's retry policy, load balancing and limits
are described in sqlmill_client._channel.

    with SqlmillClient("ipv4:10.0.0.1:50051,10.0.0.2:50051") as client:
        results = client.parse_many({"a.sql": a, "b.sql": b})   # responses or SqlmillErrors

Thread-safety: a SqlmillClient may be shared between threads (gRPC channels are).
"""

from concurrent.futures import ThreadPoolExecutor

import grpc

from grpc_spec.health.v1 import health_pb2_grpc
from grpc_spec.reflection.v1alpha import reflection_pb2_grpc
from sqlmill.v1 import dbt_compiler_pb2_grpc, schema_validator_pb2_grpc, sql_parser_pb2_grpc

from sqlmill_client import _requests
from sqlmill_client._channel import DEFAULT_MAX_MESSAGE_BYTES, channel_options
from sqlmill_client._files import read_project_files, read_sql_files, write_scaffold
from sqlmill_client.errors import SqlmillError

__all__ = ["SqlmillClient", "SqlmillError", "read_project_files", "read_sql_files",
           "write_scaffold"]


def _call(method, request, timeout):
    try:
        return method(request, timeout=timeout)
    except grpc.RpcError as error:  # grpc.Call carries code() and details()
        raise SqlmillError.from_rpc_error(error) from error


class SqlmillClient:
    """Connects to a sqlmill server (all-in-one or a single service) or a set of them.

    target: gRPC's name syntax: "host:port", "dns:///name:port", "ipv4:a:p,b:p" (resolver
    schemes get round_robin). TLS: pass root_certificates (PEM bytes) and, for mTLS,
    private_key and certificate_chain. timeout: default deadline in seconds per call
    (retries happen within it).

    retries=False turns gRPC retries off; retry_policy (a dict of retryPolicy keys, e.g.
    {"maxAttempts": 3}) adjusts them. load_balancing overrides the policy chosen from the
    target. keepalive_time_seconds / keepalive_timeout_seconds set client pings (0 = off).
    options: extra channel options, replacing computed ones of the same key.
    """

    def __init__(self, target, *, timeout=60.0, root_certificates=None, private_key=None,
                 certificate_chain=None, max_message_bytes=DEFAULT_MAX_MESSAGE_BYTES,
                 retries=True, retry_policy=None, load_balancing=None,
                 keepalive_time_seconds=30, keepalive_timeout_seconds=10, options=None):
        channel_args = channel_options(
            target, max_message_bytes=max_message_bytes, retries=retries,
            retry_policy=retry_policy, load_balancing=load_balancing,
            keepalive_time_seconds=keepalive_time_seconds,
            keepalive_timeout_seconds=keepalive_timeout_seconds, options=options)
        if root_certificates is not None:
            credentials = grpc.ssl_channel_credentials(
                root_certificates=root_certificates, private_key=private_key,
                certificate_chain=certificate_chain)
            self._channel = grpc.secure_channel(target, credentials, options=channel_args)
        else:
            self._channel = grpc.insecure_channel(target, options=channel_args)
        self.target = target
        self.timeout = timeout
        self._health = health_pb2_grpc.HealthStub(self._channel)
        self._reflection = reflection_pb2_grpc.ServerReflectionStub(self._channel)
        self.parser = sql_parser_pb2_grpc.SqlParserServiceStub(self._channel)
        self.compiler = dbt_compiler_pb2_grpc.DbtCompilerServiceStub(self._channel)
        self.validator = schema_validator_pb2_grpc.SchemaValidatorServiceStub(self._channel)

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _timeout(self, timeout):
        return self.timeout if timeout is None else timeout

    # --- operations -------------------------------------------------------------------

    def health(self, service="", timeout=None):
        """Returns the serving status name ("SERVING", "NOT_SERVING", ...) of a service
        ("" = the whole server)."""
        response = _call(self._health.Check, _requests.health_check(service),
                         self._timeout(timeout))
        return _requests.serving_status_name(response)

    def list_services(self, timeout=None):
        """Returns the service names the server exposes, through server reflection."""
        try:
            responses = self._reflection.ServerReflectionInfo(
                iter([_requests.list_services()]), timeout=self._timeout(timeout))
            for response in responses:
                return _requests.service_names(response)
        except grpc.RpcError as error:
            raise SqlmillError.from_rpc_error(error) from error
        return []

    # --- sql_parser ---------------------------------------------------------------------

    def parse_script(self, name, content, *, sqlcmd_variables=None, statements=False,
                     timeout=None):
        """Parses one T-SQL script (bytes or str) into a catalog."""
        request = _requests.parse_script(name, content, sqlcmd_variables, statements)
        return _call(self.parser.ParseScript, request, self._timeout(timeout))

    def parse_files(self, files, *, sqlcmd_variables=None, statements=False, timeout=None):
        """Parses many named files ({name: content} or [(name, content)]) into one catalog."""
        request = _requests.parse_files(files, sqlcmd_variables, statements)
        return _call(self.parser.ParseFiles, request, self._timeout(timeout))

    def parse_paths(self, *paths, **kwargs):
        """Parses .sql files and folders (recursively, sorted) from the local disk."""
        return self.parse_files(read_sql_files(*paths), **kwargs)

    def parse_many(self, files, concurrency=8, *, sqlcmd_variables=None, statements=False,
                   timeout=None):
        """Parses each file ({name: content} or [(name, content)]) in its own ParseScript
        call, at most `concurrency` at a time, and returns a list in input order whose items
        are each a ParseScriptResponse or the SqlmillError of that file's call."""
        _requests.check_concurrency(concurrency)
        items = _requests.named_items(files)

        def one(item):
            try:
                return self.parse_script(item[0], item[1], sqlcmd_variables=sqlcmd_variables,
                                         statements=statements, timeout=timeout)
            except SqlmillError as error:
                return error

        if not items:
            return []
        with ThreadPoolExecutor(max_workers=min(concurrency, len(items)),
                                thread_name_prefix="sqlmill-parse") as pool:
            return list(pool.map(one, items))

    # --- dbt_compiler -------------------------------------------------------------------

    def render_template(self, template, context=None, *, name="<template>",
                        strict_undefined=False, templates=None, timeout=None):
        """Renders an ad-hoc Jinja template with a JSON-serialisable context."""
        request = _requests.render_template(template, context, name, strict_undefined,
                                            templates)
        return _call(self.compiler.RenderTemplate, request, self._timeout(timeout))

    def compile_project(self, request, timeout=None):
        """Compiles a dbt project (a CompileProjectRequest)."""
        return _call(self.compiler.CompileProject, request, self._timeout(timeout))

    def compile_project_dir(self, path, *, adapter_type, database="", schema="", vars=None,
                            select=None, include_manifest=False, timeout=None, **fields):
        """Compiles the dbt project in a local directory (its files are sent in the request).

        Extra keyword arguments are CompileProjectRequest fields (env, relations_exist,
        invocation_id, ...)."""
        request = _requests.compile_project_dir(path, adapter_type, database, schema, vars,
                                                select, include_manifest, fields)
        return self.compile_project(request, timeout=timeout)

    def compile_node(self, project_hash, node, *, changed_files=None, vars=None, timeout=None):
        """Compiles one node of a project this server compiled before (by its hash).

        changed_files ({path: content} or [(path, content)]) are applied on top of that
        project first; the response's project_hash then names the changed project, for
        later calls. vars overrides the project's vars for this call only.

        With several servers behind one target, the server holding the hash is not
        necessarily the one picked: a NOT_FOUND means compile the project again."""
        request = _requests.compile_node(project_hash, node, changed_files, vars)
        return _call(self.compiler.CompileNode, request, self._timeout(timeout))

    def scaffold_project(self, request, timeout=None):
        """Turns a SQL Server schema into a dbt project for a warehouse (a
        ScaffoldProjectRequest); write the response's files with write_scaffold()."""
        return _call(self.compiler.ScaffoldProject, request, self._timeout(timeout))

    def scaffold_paths(self, *paths, target, project_name="", keep_names=False, tests=True,
                       use_packages=False, source_database="", source_schema_pattern="",
                       quote_source_identifiers=False, databases=None, schemas=None,
                       sqlcmd_variables=None, compile=True, timeout=None, **fields):
        """Scaffolds the dbt project for target (snowflake, bigquery, postgres, redshift,
        databricks) from .sql files and folders on the local disk (sent as text and parsed
        by the server).

        databases / schemas keep only those SQL Server databases / schemas; compile=False
        skips the server's compile check of the generated project. The other arguments, and
        extra keyword arguments (profile_name, rules, fail_threshold), are the
        ScaffoldProjectRequest fields of the same names."""
        request = _requests.scaffold_paths(
            paths, target, project_name, keep_names, tests, use_packages, source_database,
            source_schema_pattern, quote_source_identifiers, databases, schemas,
            sqlcmd_variables, compile, fields)
        return self.scaffold_project(request, timeout=timeout)

    # --- schema_validator ---------------------------------------------------------------

    def validate(self, request, timeout=None):
        """Validates a schema (a ValidateRequest)."""
        return _call(self.validator.Validate, request, self._timeout(timeout))

    def diff(self, request, timeout=None):
        """Diffs two schemas (a DiffRequest)."""
        return _call(self.validator.Diff, request, self._timeout(timeout))

    def explain_type(self, sql_server_type, target, timeout=None):
        """Explains how a SQL Server type maps onto a target warehouse."""
        request = _requests.explain_type(sql_server_type, target)
        return _call(self.validator.ExplainType, request, self._timeout(timeout))
