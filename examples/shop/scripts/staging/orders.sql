SELECT
    -- #UNIQUE
    order_id,
    -- #NO_NULLS
    customer_id,
    product_id,
    quantity,
    CAST(ordered_at AS DATE) AS ordered_at,
    -- #SET{'placed', 'completed', 'returned'}
    status
FROM './seeds/orders.csv'
