def log = new File(basedir, 'build.log').text
assert log.contains('core.leak') : 'the Jinja script did not fail as planned'
assert log.contains("'****' || '****' || no_such_column")
assert log.contains('file://****@host/x_it.duckdb')
assert log.contains('https://****@example.com')
['wJalrXUtnFEMI/K7MDENG/bPxRfiCYINVOKERIT', 'glpat-InvokerItDeployToken01',
 'UrlPassw0rdInvokerIt', 'ResolvePassw0rdIt'].each { secret ->
  assert !log.contains(secret) : "the build log holds a secret: ${secret.take(4)}…"
}
true
