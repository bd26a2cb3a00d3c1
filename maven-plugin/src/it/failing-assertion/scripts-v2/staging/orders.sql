-- The same table with a duplicated order id: its #UNIQUE test must stop the publish.
SELECT
    -- #UNIQUE
    i % 5 AS order_id,
    i * 2.5 AS amount
FROM range(1, 11) AS t(i)
