select
    CustomerID as customer_id,
    Name as customer_name,
    lower(Email) as email,
    Country as country_code,
    CreatedAt as created_at
from {{ source('retail', 'customers') }}
