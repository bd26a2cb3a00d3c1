SELECT
    university,
    COUNT(*) * 1000 AS total
FROM core.yearly_results
GROUP BY university
