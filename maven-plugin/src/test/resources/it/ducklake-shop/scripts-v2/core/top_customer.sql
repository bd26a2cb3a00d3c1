SELECT customer_id
FROM core.revenue
ORDER BY revenue DESC
LIMIT 1
