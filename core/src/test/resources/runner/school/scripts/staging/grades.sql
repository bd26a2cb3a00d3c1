SELECT
    student_id,
    -- #UNIQUE_BY(student_id)
    subject,
    grade
FROM read_csv('seeds/raw_grades.csv');
