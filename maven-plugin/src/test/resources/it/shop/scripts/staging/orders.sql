SELECT
    -- #UNIQUE
    order_id,
    -- #NO_NULLS
    customer_id,
    amount
FROM './seeds/orders.csv'
