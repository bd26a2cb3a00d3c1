// The shop project the ITs share (maven-plugin/src/test/resources/it/shop).
dev.lea.maven.InvokerProject.at(basedir).copy('shop')
true
