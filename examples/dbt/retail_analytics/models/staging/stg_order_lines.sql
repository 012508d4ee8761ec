{{ config(materialized='ephemeral') }}

select
    OrderID as order_id,
    LineNumber as line_number,
    ProductID as product_id,
    Quantity as quantity,
    {{ cents_to_units('UnitPrice * 100') }} as unit_price
from {{ source('retail', 'order_lines') }}
