"""Request builders shared by SqlmillClient and AsyncSqlmillClient: each turns a client
method's arguments into the request message, so both clients send byte-identical requests.

Thread-safety: pure functions.
"""

import json

from grpc_spec.health.v1 import health_pb2
from grpc_spec.reflection.v1alpha import reflection_pb2
from sqlmill.v1 import dbt_compiler_pb2, schema_validator_pb2, sql_parser_pb2

from sqlmill_client._files import read_project_files, read_sql_files


def as_bytes(content):
    """Returns content as bytes (str is encoded as UTF-8)."""
    return content.encode("utf-8") if isinstance(content, str) else content


def named_items(files):
    """Returns [(name, content)] from {name: content} or an iterable of pairs."""
    if files is None:
        return []
    return list(files.items()) if isinstance(files, dict) else list(files)


def parse_options(sqlcmd_variables, statements):
    return sql_parser_pb2.ParseOptions(
        sqlcmd_variables=sqlcmd_variables or {},
        detail=(sql_parser_pb2.DETAIL_LEVEL_STATEMENTS if statements
                else sql_parser_pb2.DETAIL_LEVEL_CATALOG))


def health_check(service):
    return health_pb2.HealthCheckRequest(service=service)


def serving_status_name(response):
    return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)


def list_services():
    return reflection_pb2.ServerReflectionRequest(list_services="")


def service_names(response):
    return sorted(s.name for s in response.list_services_response.service)


def parse_script(name, content, sqlcmd_variables, statements):
    return sql_parser_pb2.ParseScriptRequest(
        file=sql_parser_pb2.SourceFile(name=name, content=as_bytes(content)),
        options=parse_options(sqlcmd_variables, statements))


def parse_files(files, sqlcmd_variables, statements):
    return sql_parser_pb2.ParseFilesRequest(
        files=[sql_parser_pb2.SourceFile(name=n, content=as_bytes(c))
               for n, c in named_items(files)],
        options=parse_options(sqlcmd_variables, statements))


def render_template(template, context, name, strict_undefined, templates):
    return dbt_compiler_pb2.RenderTemplateRequest(
        template=template, name=name, context_json=json.dumps(context or {}),
        strict_undefined=strict_undefined, templates=templates or {})


def compile_project_dir(path, adapter_type, database, schema, vars, select, include_manifest,
                        fields):
    return dbt_compiler_pb2.CompileProjectRequest(
        files=[dbt_compiler_pb2.ProjectFile(path=p, content=c)
               for p, c in read_project_files(path)],
        target=dbt_compiler_pb2.Target(adapter_type=adapter_type, database=database,
                                       schema=schema),
        vars_json=json.dumps(vars) if vars else "",
        select=select or [], include_manifest=include_manifest, **fields)


def compile_node(project_hash, node, changed_files, vars):
    return dbt_compiler_pb2.CompileNodeRequest(
        project_hash=project_hash, node=node, vars_json=json.dumps(vars) if vars else "",
        changed_files=[dbt_compiler_pb2.ProjectFile(path=p, content=as_bytes(c))
                       for p, c in named_items(changed_files)])


def scaffold_paths(paths, target, project_name, keep_names, tests, use_packages,
                   source_database, source_schema_pattern, quote_source_identifiers,
                   databases, schemas, sqlcmd_variables, compile, fields):
    files = [sql_parser_pb2.SourceFile(name=n, content=c) for n, c in read_sql_files(*paths)]
    return dbt_compiler_pb2.ScaffoldProjectRequest(
        schema=schema_validator_pb2.SchemaInput(sql=sql_parser_pb2.ParseFilesRequest(
            files=files, options=parse_options(sqlcmd_variables, False))),
        target=target, project_name=project_name, keep_names=keep_names, tests=tests,
        use_packages=use_packages, source_database=source_database,
        source_schema_pattern=source_schema_pattern,
        quote_source_identifiers=quote_source_identifiers, databases=databases or [],
        schemas=schemas or [], compile=compile, **fields)


def explain_type(sql_server_type, target):
    return schema_validator_pb2.ExplainTypeRequest(sql_server_type=sql_server_type,
                                                   target=target)


def check_concurrency(concurrency):
    if not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"sqlmill_client: parse_many concurrency must be a positive integer, "
                         f"found {concurrency!r}")
