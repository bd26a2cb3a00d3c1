SELECT
    -- #UNIQUE
    i AS order_id,
    i * 2.5 AS amount
FROM range(1, 4) AS t(i)
