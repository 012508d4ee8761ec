
{%- macro type_string() -%}{{ return(adapter.dispatch('type_string', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_string() -%}{{ return(api.Column.translate_type("string")) }}{%- endmacro -%}
{%- macro redshift__type_string() -%}{{ return("varchar") }}{%- endmacro -%}

{%- macro type_timestamp() -%}{{ return(adapter.dispatch('type_timestamp', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_timestamp() -%}{{ return(api.Column.translate_type("timestamp")) }}{%- endmacro -%}
{%- macro snowflake__type_timestamp() -%}{{ return("timestamp_ntz") }}{%- endmacro -%}

{%- macro type_float() -%}{{ return(adapter.dispatch('type_float', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_float() -%}{{ return(api.Column.translate_type("float")) }}{%- endmacro -%}

{%- macro type_numeric() -%}{{ return(adapter.dispatch('type_numeric', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_numeric() -%}{{ return("numeric(28,6)") }}{%- endmacro -%}
{%- macro bigquery__type_numeric() -%}{{ return("numeric") }}{%- endmacro -%}
{%- macro fabric__type_numeric() -%}{{ return("decimal(28,6)") }}{%- endmacro -%}

{%- macro type_bigint() -%}{{ return(adapter.dispatch('type_bigint', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_bigint() -%}{{ return(api.Column.translate_type("bigint")) }}{%- endmacro -%}
{%- macro bigquery__type_bigint() -%}{{ return("int64") }}{%- endmacro -%}

{%- macro type_int() -%}{{ return(adapter.dispatch('type_int', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_int() -%}{{ return(api.Column.translate_type("integer")) }}{%- endmacro -%}
{%- macro bigquery__type_int() -%}{{ return("int64") }}{%- endmacro -%}

{%- macro type_boolean() -%}{{ return(adapter.dispatch('type_boolean', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_boolean() -%}{{ return(api.Column.translate_type("boolean")) }}{%- endmacro -%}
