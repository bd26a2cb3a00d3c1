// The scenario's project (src/test/resources/it/ducklake-shop) and bucket (ducklake-s3-setup.groovy).
dev.lea.maven.InvokerProject.at(basedir).copy('ducklake-shop')
evaluate(dev.lea.maven.InvokerProject.script('ducklake-s3-setup.groovy'))
