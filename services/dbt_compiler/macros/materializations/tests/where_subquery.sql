
{% macro get_where_subquery(relation) -%}
  {% do return(adapter.dispatch('get_where_subquery', 'dbt')(relation)) %}
{%- endmacro %}

{% macro default__get_where_subquery(relation) -%}
  {%- set condition = config.get('where') -%}
  {%- if condition -%}
    {%- set wrapped -%}
      (select * from {{ relation }} where {{ condition }}) dbt_subquery
    {%- endset -%}
    {% do return(wrapped) %}
  {%- else -%}
    {% do return(relation) %}
  {%- endif -%}
{%- endmacro %}

{% macro get_limit_subquery_sql(sql, limit) -%}
select * from ({{ sql }}) as dbt_limit_subq limit {{ limit }}
{%- endmacro %}
