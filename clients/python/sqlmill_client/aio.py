"""AsyncSqlmillClient: the grpc.aio client, with SqlmillClient's methods as coroutines.

Same names, arguments, channel options (sqlmill_client._channel) and request messages
(sqlmill_client._requests) as the synchronous client; every RPC method is `async def`.

    async with AsyncSqlmillClient("dns:///sqlmill.svc:50051") as client:
        response = await client.parse_script("orders.sql", sql)
        results = await client.parse_many(files, concurrency=16)

Thread-safety: use one instance from one event loop (grpc.aio channels belong to the loop
they were created on).
"""

import asyncio

import grpc
import grpc.aio

from grpc_spec.health.v1 import health_pb2_grpc
from grpc_spec.reflection.v1alpha import reflection_pb2_grpc
from sqlmill.v1 import dbt_compiler_pb2_grpc, schema_validator_pb2_grpc, sql_parser_pb2_grpc

from sqlmill_client import _requests
from sqlmill_client._channel import DEFAULT_MAX_MESSAGE_BYTES, channel_options
from sqlmill_client._files import read_sql_files
from sqlmill_client.errors import SqlmillError

__all__ = ["AsyncSqlmillClient"]


async def _call(method, request, timeout):
    try:
        return await method(request, timeout=timeout)
    except grpc.RpcError as error:  # grpc.aio.AioRpcError is one
        raise SqlmillError.from_rpc_error(error) from error


class AsyncSqlmillClient:
    """The grpc.aio twin of SqlmillClient; see its docstring for the arguments."""

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
            self._channel = grpc.aio.secure_channel(target, credentials, options=channel_args)
        else:
            self._channel = grpc.aio.insecure_channel(target, options=channel_args)
        self.target = target
        self.timeout = timeout
        self._health = health_pb2_grpc.HealthStub(self._channel)
        self._reflection = reflection_pb2_grpc.ServerReflectionStub(self._channel)
        self.parser = sql_parser_pb2_grpc.SqlParserServiceStub(self._channel)
        self.compiler = dbt_compiler_pb2_grpc.DbtCompilerServiceStub(self._channel)
        self.validator = schema_validator_pb2_grpc.SchemaValidatorServiceStub(self._channel)

    async def close(self):
        await self._channel.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()

    def _timeout(self, timeout):
        return self.timeout if timeout is None else timeout

    # --- operations -------------------------------------------------------------------

    async def health(self, service="", timeout=None):
        """Returns the serving status name of a service ("" = the whole server)."""
        response = await _call(self._health.Check, _requests.health_check(service),
                               self._timeout(timeout))
        return _requests.serving_status_name(response)

    async def list_services(self, timeout=None):
        """Returns the service names the server exposes, through server reflection."""
        try:
            call = self._reflection.ServerReflectionInfo(iter([_requests.list_services()]),
                                                         timeout=self._timeout(timeout))
            async for response in call:
                call.cancel()  # one answer is all we asked for
                return _requests.service_names(response)
        except grpc.RpcError as error:
            raise SqlmillError.from_rpc_error(error) from error
        return []

    # --- sql_parser ---------------------------------------------------------------------

    async def parse_script(self, name, content, *, sqlcmd_variables=None, statements=False,
                           timeout=None):
        """Parses one T-SQL script (bytes or str) into a catalog."""
        request = _requests.parse_script(name, content, sqlcmd_variables, statements)
        return await _call(self.parser.ParseScript, request, self._timeout(timeout))

    async def parse_files(self, files, *, sqlcmd_variables=None, statements=False,
                          timeout=None):
        """Parses many named files ({name: content} or [(name, content)]) into one catalog."""
        request = _requests.parse_files(files, sqlcmd_variables, statements)
        return await _call(self.parser.ParseFiles, request, self._timeout(timeout))

    async def parse_paths(self, *paths, **kwargs):
        """Parses .sql files and folders (recursively, sorted) from the local disk."""
        return await self.parse_files(read_sql_files(*paths), **kwargs)

    async def parse_many(self, files, concurrency=8, *, sqlcmd_variables=None,
                         statements=False, timeout=None):
        """Parses each file in its own ParseScript call, at most `concurrency` in flight,
        and returns a list in input order of ParseScriptResponses or SqlmillErrors."""
        _requests.check_concurrency(concurrency)
        items = _requests.named_items(files)
        gate = asyncio.Semaphore(concurrency)

        async def one(name, content):
            async with gate:
                try:
                    return await self.parse_script(name, content,
                                                   sqlcmd_variables=sqlcmd_variables,
                                                   statements=statements, timeout=timeout)
                except SqlmillError as error:
                    return error

        return list(await asyncio.gather(*(one(n, c) for n, c in items)))

    # --- dbt_compiler -------------------------------------------------------------------

    async def render_template(self, template, context=None, *, name="<template>",
                              strict_undefined=False, templates=None, timeout=None):
        """Renders an ad-hoc Jinja template with a JSON-serialisable context."""
        request = _requests.render_template(template, context, name, strict_undefined,
                                            templates)
        return await _call(self.compiler.RenderTemplate, request, self._timeout(timeout))

    async def compile_project(self, request, timeout=None):
        """Compiles a dbt project (a CompileProjectRequest)."""
        return await _call(self.compiler.CompileProject, request, self._timeout(timeout))

    async def compile_project_dir(self, path, *, adapter_type, database="", schema="",
                                  vars=None, select=None, include_manifest=False, timeout=None,
                                  **fields):
        """Compiles the dbt project in a local directory (its files are sent in the request)."""
        request = _requests.compile_project_dir(path, adapter_type, database, schema, vars,
                                                select, include_manifest, fields)
        return await self.compile_project(request, timeout=timeout)

    async def compile_node(self, project_hash, node, *, changed_files=None, vars=None,
                           timeout=None):
        """Compiles one node of a project this server compiled before (by its hash)."""
        request = _requests.compile_node(project_hash, node, changed_files, vars)
        return await _call(self.compiler.CompileNode, request, self._timeout(timeout))

    async def scaffold_project(self, request, timeout=None):
        """Turns a SQL Server schema into a dbt project (a ScaffoldProjectRequest)."""
        return await _call(self.compiler.ScaffoldProject, request, self._timeout(timeout))

    async def scaffold_paths(self, *paths, target, project_name="", keep_names=False,
                             tests=True, use_packages=False, source_database="",
                             source_schema_pattern="", quote_source_identifiers=False,
                             databases=None, schemas=None, sqlcmd_variables=None, compile=True,
                             timeout=None, **fields):
        """Scaffolds the dbt project for target from .sql files and folders on local disk."""
        request = _requests.scaffold_paths(
            paths, target, project_name, keep_names, tests, use_packages, source_database,
            source_schema_pattern, quote_source_identifiers, databases, schemas,
            sqlcmd_variables, compile, fields)
        return await self.scaffold_project(request, timeout=timeout)

    # --- schema_validator ---------------------------------------------------------------

    async def validate(self, request, timeout=None):
        """Validates a schema (a ValidateRequest)."""
        return await _call(self.validator.Validate, request, self._timeout(timeout))

    async def diff(self, request, timeout=None):
        """Diffs two schemas (a DiffRequest)."""
        return await _call(self.validator.Diff, request, self._timeout(timeout))

    async def explain_type(self, sql_server_type, target, timeout=None):
        """Explains how a SQL Server type maps onto a target warehouse."""
        request = _requests.explain_type(sql_server_type, target)
        return await _call(self.validator.ExplainType, request, self._timeout(timeout))
