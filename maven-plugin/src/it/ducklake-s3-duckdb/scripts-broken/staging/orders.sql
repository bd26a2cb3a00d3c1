-- The day's export is missing: the script fails, so it leaves no audit table and the next run
-- builds it again, while staging.calendar, built before the failure, is resumed.
SELECT
    -- #UNIQUE
    order_id,
    customer_id,
    amount
FROM './seeds/orders-missing.csv'
