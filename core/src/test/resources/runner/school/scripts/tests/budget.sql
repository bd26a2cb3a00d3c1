-- Every university has a positive budget.
SELECT *
FROM analytics.finance__expenses
WHERE total <= 0
