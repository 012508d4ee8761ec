select customer_id, customer_name, lifetime_value
from {{ ref('customer_orders') }}
where lifetime_value >= {{ var('high_value_threshold') }}
