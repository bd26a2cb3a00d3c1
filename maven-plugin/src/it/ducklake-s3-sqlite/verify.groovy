// The scenario's checks (src/test/resources/it/ducklake-s3-verify.groovy) on a SQLite catalog.
catalog = 's3://my-bucket/lake/catalog.sqlite'
catalogEnvironment = [:]
evaluate(dev.lea.maven.InvokerProject.script('ducklake-s3-verify.groovy'))
