// This project has no SLF4J backend, as many a new project has not: pgdbm-testing must still say which
// server its tests used.
def log = new File(basedir, 'build.log').text
assert log.contains('pgdbm: tests use ') : 'no line naming the test server in build.log'
assert log.contains('add an SLF4J backend')
return true
