SELECT i AS order_id FROM range(3) AS t(i)
