SELECT
    -- #UNIQUE
    ordered_at,
    SUM(amount) AS revenue
FROM core.orders
WHERE status <> 'returned'
GROUP BY ordered_at
