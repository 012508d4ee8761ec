{{ config(materialized='table', tags=['finance']) }}

{%- set statuses = [0, 1, 2, 3, 4, 5] %}

with orders as (
    select * from {{ ref('stg_orders') }}
),

lines as (
    select order_id, sum(quantity * unit_price) as lines_total
    from {{ ref('stg_order_lines') }}
    group by order_id
)

select
    c.customer_id,
    c.customer_name,
    count(o.order_id) as order_count,
    sum(l.lines_total) as lifetime_value,
    {%- for s in statuses %}
    sum(case when o.status = {{ s }} then 1 else 0 end) as status_{{ s }}_orders{{ "," if not loop.last }}
    {%- endfor %}
from {{ ref('stg_customers') }} as c
left join orders as o on o.customer_id = c.customer_id
left join lines as l on l.order_id = o.order_id
group by c.customer_id, c.customer_name
