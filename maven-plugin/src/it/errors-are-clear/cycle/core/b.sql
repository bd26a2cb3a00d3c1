SELECT * FROM core.a
