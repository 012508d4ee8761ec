"""A thin, typed-enough wrapper over the sqlmill gRPC services.

Each method builds the request message, calls the RPC with a deadline and returns the
response message (protobuf). Request-level failures raise SqlmillError carrying the gRPC
status code and message; content findings (parse errors, rule violations) come back inside
the response as diagnostics, as the services define.

Thread-safety: a SqlmillClient may be shared between threads (gRPC channels are).
"""

import os

import grpc

from grpc_spec.health.v1 import health_pb2, health_pb2_grpc
from grpc_spec.reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from sqlmill.v1 import (dbt_compiler_pb2, dbt_compiler_pb2_grpc, schema_validator_pb2,
                        schema_validator_pb2_grpc, sql_parser_pb2, sql_parser_pb2_grpc)


class SqlmillError(Exception):
    """A request-level failure: the gRPC status code and the server's message."""

    def __init__(self, code, details):
        super().__init__(f"{code.name}: {details}")
        self.code = code
        self.details = details


def _call(method, request, timeout):
    try:
        return method(request, timeout=timeout)
    except grpc.RpcError as error:  # grpc.Call carries code() and details()
        raise SqlmillError(error.code(), error.details()) from error


class SqlmillClient:
    """Connects to a sqlmill server (all-in-one or a single service).

    target: "host:port". TLS: pass root_certificates (PEM bytes) and, for mTLS,
    private_key and certificate_chain. timeout: default deadline in seconds per call.
    """

    def __init__(self, target, *, timeout=60.0, root_certificates=None, private_key=None,
                 certificate_chain=None, max_message_bytes=64 << 20):
        options = [("grpc.max_send_message_length", max_message_bytes),
                   ("grpc.max_receive_message_length", max_message_bytes)]
        if root_certificates is not None:
            credentials = grpc.ssl_channel_credentials(
                root_certificates=root_certificates, private_key=private_key,
                certificate_chain=certificate_chain)
            self._channel = grpc.secure_channel(target, credentials, options=options)
        else:
            self._channel = grpc.insecure_channel(target, options=options)
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
        response = _call(self._health.Check, health_pb2.HealthCheckRequest(service=service),
                         self._timeout(timeout))
        return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)

    def list_services(self, timeout=None):
        """Returns the service names the server exposes, through server reflection."""
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        try:
            responses = self._reflection.ServerReflectionInfo(iter([request]),
                                                              timeout=self._timeout(timeout))
            for response in responses:
                return sorted(s.name for s in response.list_services_response.service)
        except grpc.RpcError as error:
            raise SqlmillError(error.code(), error.details()) from error
        return []

    # --- sql_parser ---------------------------------------------------------------------

    def parse_script(self, name, content, *, sqlcmd_variables=None, statements=False,
                     timeout=None):
        """Parses one T-SQL script (bytes or str) into a catalog."""
        request = sql_parser_pb2.ParseScriptRequest(
            file=sql_parser_pb2.SourceFile(name=name, content=_bytes(content)),
            options=_parse_options(sqlcmd_variables, statements))
        return _call(self.parser.ParseScript, request, self._timeout(timeout))

    def parse_files(self, files, *, sqlcmd_variables=None, statements=False, timeout=None):
        """Parses many named files ({name: content} or [(name, content)]) into one catalog."""
        items = files.items() if isinstance(files, dict) else files
        request = sql_parser_pb2.ParseFilesRequest(
            files=[sql_parser_pb2.SourceFile(name=n, content=_bytes(c)) for n, c in items],
            options=_parse_options(sqlcmd_variables, statements))
        return _call(self.parser.ParseFiles, request, self._timeout(timeout))

    def parse_paths(self, *paths, **kwargs):
        """Parses .sql files and folders (recursively, sorted) from the local disk."""
        return self.parse_files(read_sql_files(*paths), **kwargs)

    # --- dbt_compiler -------------------------------------------------------------------

    def render_template(self, template, context=None, *, name="<template>",
                        strict_undefined=False, templates=None, timeout=None):
        """Renders an ad-hoc Jinja template with a JSON-serialisable context."""
        import json
        request = dbt_compiler_pb2.RenderTemplateRequest(
            template=template, name=name, context_json=json.dumps(context or {}),
            strict_undefined=strict_undefined, templates=templates or {})
        return _call(self.compiler.RenderTemplate, request, self._timeout(timeout))

    def compile_project(self, request, timeout=None):
        """Compiles a dbt project (a CompileProjectRequest)."""
        return _call(self.compiler.CompileProject, request, self._timeout(timeout))

    def compile_project_dir(self, path, *, adapter_type, database="", schema="", vars=None,
                            select=None, include_manifest=False, timeout=None, **fields):
        """Compiles the dbt project in a local directory (its files are sent in the request).

        Extra keyword arguments are CompileProjectRequest fields (env, relations_exist,
        invocation_id, ...)."""
        import json
        request = dbt_compiler_pb2.CompileProjectRequest(
            files=[dbt_compiler_pb2.ProjectFile(path=p, content=c)
                   for p, c in read_project_files(path)],
            target=dbt_compiler_pb2.Target(adapter_type=adapter_type, database=database,
                                           schema=schema),
            vars_json=json.dumps(vars) if vars else "",
            select=select or [], include_manifest=include_manifest, **fields)
        return self.compile_project(request, timeout=timeout)

    def compile_node(self, project_hash, node, *, changed_files=None, vars=None, timeout=None):
        """Compiles one node of a project this server compiled before (by its hash).

        changed_files ({path: content} or [(path, content)]) are applied on top of that
        project first; the response's project_hash then names the changed project, for
        later calls. vars overrides the project's vars for this call only."""
        import json
        items = changed_files.items() if isinstance(changed_files, dict) else (changed_files or [])
        request = dbt_compiler_pb2.CompileNodeRequest(
            project_hash=project_hash, node=node, vars_json=json.dumps(vars) if vars else "",
            changed_files=[dbt_compiler_pb2.ProjectFile(path=p, content=_bytes(c)) for p, c in items])
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
        files = [sql_parser_pb2.SourceFile(name=n, content=c) for n, c in read_sql_files(*paths)]
        request = dbt_compiler_pb2.ScaffoldProjectRequest(
            schema=schema_validator_pb2.SchemaInput(sql=sql_parser_pb2.ParseFilesRequest(
                files=files, options=_parse_options(sqlcmd_variables, False))),
            target=target, project_name=project_name, keep_names=keep_names, tests=tests,
            use_packages=use_packages, source_database=source_database,
            source_schema_pattern=source_schema_pattern,
            quote_source_identifiers=quote_source_identifiers, databases=databases or [],
            schemas=schemas or [], compile=compile, **fields)
        return self.scaffold_project(request, timeout=timeout)

    # --- schema_validator ---------------------------------------------------------------

    def validate(self, request, timeout=None):
        """Validates a schema (a ValidateRequest)."""
        return _call(self.validator.Validate, request, self._timeout(timeout))

    def diff(self, request, timeout=None):
        return _call(self.validator.Diff, request, self._timeout(timeout))

    def explain_type(self, sql_server_type, target, timeout=None):
        request = schema_validator_pb2.ExplainTypeRequest(sql_server_type=sql_server_type,
                                                          target=target)
        return _call(self.validator.ExplainType, request, self._timeout(timeout))


def _bytes(content):
    return content.encode("utf-8") if isinstance(content, str) else content


def _parse_options(sqlcmd_variables, statements):
    return sql_parser_pb2.ParseOptions(
        sqlcmd_variables=sqlcmd_variables or {},
        detail=(sql_parser_pb2.DETAIL_LEVEL_STATEMENTS if statements
                else sql_parser_pb2.DETAIL_LEVEL_CATALOG))


def write_scaffold(response, out_dir):
    """Writes a ScaffoldProjectResponse's files under out_dir (created when missing) and
    returns their paths, relative and '/'-separated, in the response's order.

    Refuses (ValueError, before writing anything) a path that is absolute or has a '..' or
    empty component. Existing files at those paths are overwritten; nothing else in out_dir
    is touched (unlike `sqlmill migrate`, this keeps no record of what an earlier run wrote)."""
    targets = []
    for f in response.files:
        parts = f.path.replace("\\", "/").split("/")
        if (not f.path or f.path.startswith(("/", "\\")) or os.path.isabs(f.path)
                or os.path.splitdrive(f.path)[0] or ".." in parts or "" in parts):
            raise ValueError(f"write_scaffold: refusing to write {f.path!r} outside {out_dir}")
        targets.append((f.path, os.path.join(out_dir, *parts), f.content))
    for _path, full, content in targets:
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as handle:
            handle.write(content)
    return [path for path, _full, _content in targets]


def read_project_files(root):
    """Returns [(relative path, bytes)] of a dbt project directory, sorted, without the
    target/, logs/ and .git/ folders dbt itself ignores."""
    out = []
    for directory, dirs, names in os.walk(root):
        rel_dir = os.path.relpath(directory, root)
        if rel_dir == ".":
            dirs[:] = [d for d in dirs if d not in ("target", "logs", ".git")]
        for name in names:
            full = os.path.join(directory, name)
            with open(full, "rb") as handle:
                out.append((os.path.relpath(full, root).replace(os.sep, "/"), handle.read()))
    return sorted(out)


def read_sql_files(*paths):
    """Returns [(name, bytes)] for .sql files under the given files and folders, sorted."""
    out = []
    for path in paths:
        if os.path.isdir(path):
            found = []
            for root, _dirs, names in os.walk(path):
                found += [os.path.join(root, n) for n in names if n.lower().endswith(".sql")]
            for f in sorted(found):
                with open(f, "rb") as handle:
                    out.append((os.path.relpath(f, path), handle.read()))
        else:
            with open(path, "rb") as handle:
                out.append((os.path.basename(path), handle.read()))
    return out
