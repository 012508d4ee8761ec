"""End-to-end tests of DbtCompilerService through the real Python client against the real
sqlmill-server binary."""

import os

import grpc
import pytest

from testlib import REPO, shared_corpus
from sqlmill_client import SqlmillClient, SqlmillError
from sqlmill_client.client import read_project_files
from sqlmill.v1 import dbt_compiler_pb2

EXAMPLE = os.path.join(REPO, "examples", "dbt", "retail_analytics")


@pytest.fixture
def client(server):
    with SqlmillClient(server.address, timeout=60) as c:
        if "sqlmill.v1.DbtCompilerService" not in c.list_services():
            pytest.skip("this build has no dbt_compiler service")
        yield c


def node(response, unique_id):
    return next(n for n in response.nodes if n.unique_id == unique_id)


def test_the_example_project_compiles_with_its_dag(client):
    response = client.compile_project_dir(EXAMPLE, adapter_type="sqlserver", database="Retail",
                                          schema="dbo", include_manifest=True)
    assert [d.message for d in response.diagnostics if d.severity == 1] == []
    orders = node(response, "model.retail_analytics.customer_orders")
    assert orders.compiled
    assert orders.relation_name == '"Retail"."dbo"."customer_orders"'
    assert '"Retail"."dbo_staging"."stg_customers"' in orders.compiled_code
    assert "__dbt__cte__stg_order_lines" in orders.compiled_code  # the ephemeral is inlined
    assert "{{" not in orders.compiled_code
    order = list(response.dag_order)
    assert order.index("model.retail_analytics.stg_orders") < \
        order.index("model.retail_analytics.customer_orders") < \
        order.index("model.retail_analytics.high_value_customers")
    assert '"nodes"' in response.manifest_json and response.project_hash


def test_adapters_render_relations_their_own_way(client):
    snowflake = client.compile_project_dir(EXAMPLE, adapter_type="snowflake",
                                           database="ANALYTICS", schema="RETAIL")
    bigquery = client.compile_project_dir(EXAMPLE, adapter_type="bigquery",
                                          database="my-project", schema="retail")
    high = "model.retail_analytics.high_value_customers"
    assert node(snowflake, high).relation_name == "ANALYTICS.RETAIL.high_value_customers"
    assert node(bigquery, high).relation_name == "`my-project`.`retail`.`high_value_customers`"


def test_one_broken_model_does_not_stop_the_others(client):
    files = [dbt_compiler_pb2.ProjectFile(path=p, content=c)
             for p, c in read_project_files(EXAMPLE)]
    files.append(dbt_compiler_pb2.ProjectFile(
        path="models/marts/broken.sql",
        content=b"select *\nfrom {{ ref('no_such_model') }}\n"))
    request = dbt_compiler_pb2.CompileProjectRequest(
        files=files, target=dbt_compiler_pb2.Target(adapter_type="postgres", database="db",
                                                    schema="public"))
    response = client.compile_project(request)
    errors = [d for d in response.diagnostics if d.severity == 1]
    assert len(errors) == 1
    assert errors[0].code == "unknown-ref"
    assert errors[0].message == (
        "Model 'model.retail_analytics.broken' (models/marts/broken.sql) depends on a node "
        "named 'no_such_model' which was not found")
    assert errors[0].span.file.endswith("models/marts/broken.sql")
    # The ref() call's position: line 2, column 9 ("from {{ ref(...").
    assert (errors[0].span.line, errors[0].span.column) == (2, 9)
    assert (errors[0].span.end_line, errors[0].span.end_column) == (2, 29)  # exclusive
    assert "^" in errors[0].excerpt
    assert node(response, "model.retail_analytics.customer_orders").compiled
    assert response.stats.nodes_failed == 1


def test_compile_node_reuses_the_project_the_server_holds(client):
    response = client.compile_project_dir(EXAMPLE, adapter_type="duckdb", database="memory",
                                          schema="main")
    single = client.compile_node(response.project_hash, "high_value_customers")
    assert single.node.compiled_code == \
        node(response, "model.retail_analytics.high_value_customers").compiled_code
    with pytest.raises(SqlmillError) as error:
        client.compile_node("0" * 64, "high_value_customers")
    assert error.value.code == grpc.StatusCode.NOT_FOUND


def test_compile_node_applies_changed_files_on_top_of_the_cached_project(client):
    response = client.compile_project_dir(EXAMPLE, adapter_type="postgres", database="db",
                                          schema="public")
    path = "models/marts/high_value_customers.sql"
    changed = client.compile_node(
        response.project_hash, "high_value_customers",
        changed_files={path: "select customer_id from {{ ref('customer_orders') }} where 1 = 1\n"})
    assert changed.node.compiled
    assert changed.node.compiled_code == \
        'select customer_id from "db"."public"."customer_orders" where 1 = 1'
    assert changed.project_hash and changed.project_hash != response.project_hash
    # The changed project is cached under its new hash; the original is unchanged.
    again = client.compile_node(changed.project_hash, "high_value_customers")
    assert again.node.compiled_code == changed.node.compiled_code
    original = client.compile_node(response.project_hash, "high_value_customers")
    assert original.node.compiled_code == \
        node(response, "model.retail_analytics.high_value_customers").compiled_code
    # A change that breaks the node is reported on it.
    broken = client.compile_node(response.project_hash, "high_value_customers",
                                 changed_files={path: "select 1\nfrom {{ ref('nope') }}\n"})
    assert not broken.node.compiled
    assert [d.code for d in broken.diagnostics] == ["unknown-ref"]
    assert (broken.diagnostics[0].span.line, broken.diagnostics[0].span.column) == (2, 9)


def test_a_gzip_tar_archive_compiles_like_the_files(client):
    import io
    import tarfile
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:  # as `tar czf` writes
        for path, content in read_project_files(EXAMPLE):
            info = tarfile.TarInfo("retail_analytics/" + path)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    target = dbt_compiler_pb2.Target(adapter_type="postgres", database="db", schema="public")
    from_tar = client.compile_project(dbt_compiler_pb2.CompileProjectRequest(
        tar_archive=buffer.getvalue(), target=target))
    from_files = client.compile_project_dir(EXAMPLE, adapter_type="postgres", database="db",
                                            schema="public")
    assert [(n.unique_id, n.compiled_code) for n in from_tar.nodes] == \
        [(n.unique_id, n.compiled_code) for n in from_files.nodes]
    assert from_tar.project_hash == from_files.project_hash
    # (A gzip bomb is refused at the limit: DbtServiceLimitsTest in the service's C++ tests,
    # with a small limit; this server's limit is 256 MB.)


def test_render_template(client):
    response = client.render_template("{% for t in tables %}{{ t | upper }}{{ ', ' if not loop.last }}{% endfor %}",
                                      {"tables": ["orders", "customers"]})
    assert response.output == "ORDERS, CUSTOMERS"
    broken = client.render_template("{{ 1 + }}", name="bad.sql")
    assert broken.diagnostics and broken.diagnostics[0].span.line == 1
    assert broken.diagnostics[0].span.file == "bad.sql"


def test_jaffle_shop_from_the_corpus(client):
    # The corpus copy of jaffle_shop ships without its seed CSVs, so the three staging
    # models that ref() them fail exactly as dbt's would; everything else compiles.
    project = shared_corpus("dbt", "jaffle_shop")
    response = client.compile_project_dir(project, adapter_type="postgres", database="jaffle",
                                          schema="public")
    errors = sorted(d.message for d in response.diagnostics if d.severity == 1)
    assert len(errors) == 3
    assert all("raw_" in e and "was not found" in e for e in errors)
    compiled = {n.name for n in response.nodes if n.resource_type == "model" and n.compiled}
    assert {"customers", "orders"} <= compiled
