def log = new File(basedir, 'build.log').text
assert log.contains('pgdbm codegen failed for module bad') : 'the failing module is named'
assert log.contains('001_bad.sql') && log.contains('at line 3') : 'with its file and line'
assert !log.contains('Run Flyway with -X') : "no Flyway command-line advice"
assert !log.contains('NoClassDefFoundError') : 'no shutdown hook failing on unloaded classes'
def stopped = log.indexOf('shut down postmaster')
def ended = log.indexOf('BUILD FAILURE')
assert stopped >= 0 && stopped < ended : 'the plugin stopped the embedded server before the build ended'
return true
