def log = new File(basedir, 'build.log').text
assert log.contains("Cannot use 'lockfile' for lea.ducklake.lock")
assert log =~ /conditional-write.*lock-file.*none|none.*lock-file/ : 'the valid values are not named'
assert !(log =~ /Running \d+ of/) : 'scripts ran despite the bad configuration'
assert !(log =~ /at dev\.lea\./) : 'a stack trace was printed'
assert !new File(basedir, 'target/bucket').exists() : 'the store was touched'
true
