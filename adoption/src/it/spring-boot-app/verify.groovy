def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0') : 'the Spring tests ran and passed'
// the project does not inherit pgdbm's parent: pgdbm's artifacts must still bring the PostgreSQL that codegen uses
assert log =~ /Tests use embedded PostgreSQL 18\.\d+/ : 'tests ran on the same PostgreSQL as codegen'
assert (log =~ /Started embedded PostgreSQL/).size() == 2 : 'one server for codegen (both executions), one for tests'
['catalog/db/CatalogModule.java', 'cart/db/CartModule.java'].each {
    assert new File(basedir, "target/generated-sources/pgdbm/com/example/shop/${it}").isFile()
}
return true
