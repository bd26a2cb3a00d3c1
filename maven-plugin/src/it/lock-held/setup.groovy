// Another machine's live lock on the catalog the run wants.
dev.lea.maven.InvokerProject.at(basedir).holdLock('shop_it.duckdb')
true
