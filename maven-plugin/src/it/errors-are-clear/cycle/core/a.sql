SELECT * FROM core.b
