-- Products are generated, not seeded: five items with deterministic prices.
SELECT
    -- #UNIQUE
    i AS product_id,
    'product-' || i AS name,
    CAST(4.5 * i + 0.99 AS DECIMAL(10, 2)) AS unit_price
FROM range(1, 6) AS t(i)
