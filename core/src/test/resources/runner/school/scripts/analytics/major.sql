SELECT
    staging.students.first_name,
    yearly.average
FROM core.yearly_results AS yearly
JOIN staging.students USING (student_id)
WHERE yearly.average = (SELECT MAX(average) FROM core.yearly_results)
