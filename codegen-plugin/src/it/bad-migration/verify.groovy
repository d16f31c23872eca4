def log = new File(basedir, 'build.log').text
assert log.contains('pgdbm codegen failed for module broken') : 'the build failed in pgdbm codegen'
assert log.contains('002_broken.sql') : 'the message names the file'
assert log.contains('at line 3') : 'the message names the line'
assert log.contains('nosuchtype') : 'the message carries the server error'
return true
