SELECT
    -- #UNIQUE
    c.customer_id,
    c.name,
    c.country,
    COUNT(o.order_id) AS n_orders,
    COALESCE(SUM(o.amount), 0) AS lifetime_amount
FROM staging.customers AS c
LEFT JOIN core.orders AS o ON o.customer_id = c.customer_id
GROUP BY ALL
