SELECT
    -- #UNIQUE
    c.customer_id,
    COALESCE(SUM(o.amount), 0) AS revenue
FROM staging.customers AS c
LEFT JOIN staging.orders AS o ON o.customer_id = c.customer_id
GROUP BY ALL
