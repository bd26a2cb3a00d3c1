SELECT
    -- #UNIQUE
    -- #NO_NULLS
    customer_id,
    name,
    country,
    CAST(signed_up_at AS DATE) AS signed_up_at
FROM './seeds/customers.csv'
