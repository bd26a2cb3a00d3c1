SELECT
    -- #UNIQUE
    o.order_id,
    o.customer_id,
    c.country,
    o.ordered_at,
    o.status,
    o.quantity,
    o.quantity * p.unit_price AS amount
FROM staging.orders AS o
JOIN staging.customers AS c ON c.customer_id = o.customer_id
JOIN staging.products AS p ON p.product_id = o.product_id
