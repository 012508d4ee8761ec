
{% test unique(model, column_name) %}
    {% set impl = adapter.dispatch('test_unique', 'dbt') %}
    {{ impl(model, column_name) }}
{% endtest %}

{% test not_null(model, column_name) %}
    {% set impl = adapter.dispatch('test_not_null', 'dbt') %}
    {{ impl(model, column_name) }}
{% endtest %}

{% test accepted_values(model, column_name, values, quote=True) %}
    {% set impl = adapter.dispatch('test_accepted_values', 'dbt') %}
    {{ impl(model, column_name, values, quote) }}
{% endtest %}

{% test relationships(model, column_name, to, field) %}
    {% set impl = adapter.dispatch('test_relationships', 'dbt') %}
    {{ impl(model, column_name, to, field) }}
{% endtest %}
