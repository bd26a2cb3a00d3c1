-- Students, one row each.
SELECT
    -- #UNIQUE
    -- #NO_NULLS
    id AS student_id,
    first_name,
    -- #SET{'Harvard', 'Stanford', 'MIT'}
    university
FROM './seeds/raw_students.csv'
