def log = new File(basedir, 'build.log').text
assert log =~ /Benchmark of a generated catalog \(2\.0 MiB\) under file:\S+\/target\/bucket\/\.lea\/benchmark-[^\/\s]+\/:/
assert log =~ /raw put\/get \(floor\) +\d+\.\d{3} +\d+\.\d{3} +2097152 /
for (row in ['object-copy \\(none\\)', 'object-copy \\(zstd\\)', 'object-copy \\(gzip\\)',
             'parquet-blob \\(zstd\\)', 'chunked \\(zstd\\)']) {
  assert log =~ /\[INFO\] +${row} +\d+\.\d{3} +\d+\.\d{3} +\d+ +[\d.]+ +[\d.]+/ : "no row for ${row}"
}
assert log =~ /Recommended: lea\.ducklake\.transport=\S+ lea\.ducklake\.compression=\S+ \(of the transports within 10% of the fastest round trip/
assert log.contains('BUILD SUCCESS')
assert !(log =~ /at dev\.lea\./) : 'a stack trace was printed'
def bucket = new File(basedir, 'target/bucket')
assert new File(bucket, '.lea').list() as List == ['locks'] : 'the scratch prefix was left behind'
assert new File(bucket, '.lea/locks/shop_it.duckdb.lock').bytes == new File(basedir, 'target/lock-before').bytes
assert !new File(bucket, 'shop_it.duckdb').exists() : 'the benchmark wrote the real catalog key'
true
