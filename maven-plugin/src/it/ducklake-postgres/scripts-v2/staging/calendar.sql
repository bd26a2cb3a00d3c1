-- More rows than DuckLake inlines into the catalog (DATA_INLINING_ROW_LIMIT), so its data goes to
-- the data path as Parquet.
SELECT CAST(day AS DATE) AS day
FROM range(DATE '2026-01-01', DATE '2026-04-01', INTERVAL 1 DAY) AS t(day)
