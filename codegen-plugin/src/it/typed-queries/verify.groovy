def log = new File(basedir, 'build.log').text
def descriptor = new File(basedir, 'target/generated-sources/pgdbm/com/example/inventory/db/InventoryModule.java')
assert descriptor.isFile() : 'the module descriptor was generated'
assert descriptor.text.contains('classpath:db/inventory')
assert new File(basedir, 'target/generated-sources/pgdbm/com/example/inventory/db/tables/Products.java').isFile()
assert !new File(basedir, 'target/generated-sources/pgdbm/com/example/inventory/db/tables/InventorySchemaHistory.java').exists()
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0') : 'the typed test ran and passed'
assert log.contains('module inventory is up to date') : 'the second build skipped generation'
return true
