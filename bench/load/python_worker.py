#!/usr/bin/python3
"""The alternative a team would write instead of sqlmill's parser service: a Python gRPC
worker serving the same sqlmill.v1.SqlParserService/ParseScript with Debian's
python3-grpcio (a thread pool server) and python3-sqlglot (read="tsql").

It splits the script into GO batches, parses each with sqlglot, and answers a Catalog of
the CREATE TABLEs it found (schema, table, columns with type and nullability) plus a
diagnostic for each batch sqlglot could not parse: what a team needs from "parse this DDL",
built the straightforward way. bench/load/run_load.py starts it beside sqlmill-server and
drives both with the same client and the same request bytes.

  /usr/bin/python3 bench/load/python_worker.py --port=0 [--threads=N]
prints "python worker listening on 127.0.0.1:PORT" when ready; runs until SIGTERM/SIGINT.
Needs the generated Python modules of the build (SQLMILL_BUILD_DIR/python, default build).
"""
import argparse
import os
import re
import signal
import sys
import threading
from concurrent import futures

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(os.environ.get("SQLMILL_BUILD_DIR",
                                               os.path.join(ROOT, "build")), "python"))

import grpc  # noqa: E402
import sqlglot  # noqa: E402
from sqlglot import exp  # noqa: E402

from sqlmill.v1 import catalog_pb2, common_pb2, sql_parser_pb2, sql_parser_pb2_grpc  # noqa: E402

GO = re.compile(r"^[ \t]*GO(?:[ \t]+\d+)?[ \t]*(?:--.*)?$", re.I | re.M)


def batches(text):
    """(first line number, batch text) of each non-empty GO batch."""
    out, line = [], 1
    pos = 0
    for match in GO.finditer(text):
        chunk = text[pos:match.start()]
        if chunk.strip():
            out.append((line, chunk))
        line += text.count("\n", pos, match.end())
        pos = match.end()
    if text[pos:].strip():
        out.append((line, text[pos:]))
    return out


def column_of(ordinal, definition):
    column = catalog_pb2.Column(name=definition.name, ordinal=ordinal)
    kind = definition.args.get("kind")
    if kind is not None:
        column.data_type.name = kind.sql(dialect="tsql")
        column.data_type.text = column.data_type.name
    nullable = True
    for constraint in definition.args.get("constraints") or []:
        inner = constraint.args.get("kind")
        if isinstance(inner, exp.NotNullColumnConstraint):
            nullable = bool(inner.args.get("allow_null"))
        elif isinstance(inner, exp.PrimaryKeyColumnConstraint):
            nullable = False
    column.nullability = (catalog_pb2.NULLABILITY_NULL if nullable
                          else catalog_pb2.NULLABILITY_NOT_NULL)
    return column


class ParserServicer(sql_parser_pb2_grpc.SqlParserServiceServicer):
    def ParseScript(self, request, context):
        name = request.file.name or "<script>"
        text = request.file.content.decode("utf-8-sig", errors="replace")
        schemas = {}
        response = sql_parser_pb2.ParseScriptResponse()
        for line, batch in batches(text):
            try:
                statements = sqlglot.parse(batch, read="tsql")
            except sqlglot.errors.ParseError as error:
                response.diagnostics.append(common_pb2.Diagnostic(
                    severity=common_pb2.SEVERITY_ERROR, code="parse-error",
                    message=f"{name}:{line}: {str(error).splitlines()[0]}"))
                continue
            for statement in statements:
                if not isinstance(statement, exp.Create) or str(statement.args.get("kind", "")).upper() != "TABLE":
                    continue
                schema_node = statement.this
                table = schema_node.this if isinstance(schema_node, exp.Schema) else schema_node
                if not isinstance(table, exp.Table):
                    continue
                out = catalog_pb2.Table(name=table.name)
                if isinstance(schema_node, exp.Schema):
                    defs = [e for e in schema_node.expressions
                            if isinstance(e, exp.ColumnDef)]
                    out.columns.extend(column_of(i + 1, d) for i, d in enumerate(defs))
                schemas.setdefault(table.text("db") or "dbo", []).append(out)
        database = response.catalog.databases.add()
        for schema_name, tables in schemas.items():
            schema = database.schemas.add(name=schema_name)
            schema.tables.extend(tables)
        response.stats.statements = sum(len(t) for t in schemas.values())
        return response


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--threads", type=int, default=(os.cpu_count() or 2) * 4,
                        help="thread pool size (default 4 x cores, as teams size it)")
    args = parser.parse_args()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=args.threads),
                         options=[("grpc.max_receive_message_length", 64 << 20)])
    sql_parser_pb2_grpc.add_SqlParserServiceServicer_to_server(ParserServicer(), server)
    port = server.add_insecure_port(f"127.0.0.1:{args.port}")
    server.start()
    print(f"python worker listening on 127.0.0.1:{port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.stop(grace=1).wait()


if __name__ == "__main__":
    main()
