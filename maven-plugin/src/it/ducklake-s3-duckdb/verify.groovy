// ducklake-s3-sqlite's checks (src/test/resources/it/ducklake-s3-verify.groovy) on a DuckDB-file
// catalog, whose format the builds were told.
catalog = 's3://my-bucket/lake/catalog.duckdb'
catalogEnvironment = [LEA_DUCKLAKE_CATALOG_FORMAT: 'duckdb']
evaluate(dev.lea.maven.InvokerProject.script('ducklake-s3-verify.groovy'))
