SELECT * FROM core.revenue WHERE revenue < 0
