SELECT
    -- #UNIQUE
    10 + i AS customer_id,
    'customer-' || i AS name
FROM range(0, 3) AS t(i)
