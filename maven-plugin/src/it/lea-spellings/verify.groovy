def log = new File(basedir, 'build.log').text
assert log.contains("lea.dry-run (from system property) is lea's --dry-run; lea-java spells it lea.dryRun.")
assert log.contains('lea.lock.wiat (from system property) is not a lea-java setting; did you mean lea.lock.wait?')
assert log.contains('Configuration (project ') : 'lea:status did not run with the goals\' own properties'
assert !(log =~ /Running \d+ of/) : 'scripts ran despite the unknown property'
assert !(log =~ /at dev\.lea\./) : 'a stack trace was printed'
assert !new File(basedir, 'target/bucket').exists() : 'the store was touched'
true
