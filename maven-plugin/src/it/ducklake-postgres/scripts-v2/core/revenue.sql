SELECT customer_id, sum(amount) AS revenue
FROM staging.orders
GROUP BY customer_id
