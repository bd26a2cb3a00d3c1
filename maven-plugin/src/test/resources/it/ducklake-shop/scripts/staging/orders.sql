SELECT
    -- #UNIQUE
    order_id,
    customer_id,
    amount
FROM './seeds/orders.csv'
