def log = new File(basedir, 'build.log').text
def started = (log =~ /Started embedded PostgreSQL/).size()
assert started == 1 : "one embedded server for the whole build, started ${started} times"
assert !log.contains('terminating connection') : 'no generation lost its server'
['alpha/target/generated-sources/pgdbm/it/alpha/db/AlphaModule.java',
 'beta/target/generated-sources/pgdbm/it/beta/db/BetaModule.java',
 'beta/target/generated-sources/pgdbm/it/beta/audit/db/BetaAuditModule.java',
 'gamma/target/generated-sources/pgdbm/it/gamma/db/GammaModule.java',
 'gamma/target/generated-sources/pgdbm/it/gamma/mirror/db/tables/AlphaItems.java'].each {
    assert new File(basedir, it).isFile() : "${it} was generated"
}
assert new File(basedir, 'beta/target/classes/it/beta/audit/db/tables/AuditEntries.class').isFile()
assert !log.contains('[ERROR]')
assert !new File(basedir, 'beta/target/generated-sources/pgdbm/it/beta/db/tables/AlphaItems.java').exists() : 'alpha is not copied into beta'
assert new File(basedir, 'beta/target/classes/it/beta/db/tables/BetaItems.class').isFile()
assert (log =~ /module \w+ is up to date/).size() == 5 : 'the second build found all five modules up to date'

return true
