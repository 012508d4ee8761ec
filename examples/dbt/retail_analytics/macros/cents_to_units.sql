{% macro cents_to_units(column_name, scale=2) -%}
    cast(({{ column_name }}) / 100.0 as numeric(18, {{ scale }}))
{%- endmacro %}
