SELECT
    -- #UNIQUE
    i AS order_id
FROM range(5) AS t(i)
