-- A singular test: it fails when it returns rows.
SELECT *
FROM analytics.daily_revenue
WHERE revenue < 0
