select
    OrderID as order_id,
    CustomerID as customer_id,
    OrderDate as order_date,
    Status as status,
    Total as order_total
from {{ source('retail', 'orders') }}
where OrderDate >= '{{ var("min_order_date") }}'
