SELECT
    i AS order_id,
    no_such_column AS amount
FROM range(3) AS t(i)
