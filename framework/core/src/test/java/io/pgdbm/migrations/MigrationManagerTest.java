package io.pgdbm.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgdbm.DatabaseManager;
import io.pgdbm.ErrorCode;
import io.pgdbm.IdentifierException;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import io.pgdbm.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PostgresExtension.class)
class MigrationManagerTest {
    @TempDir
    Path dir;

    private static final String LOG_TABLE =
            "CREATE TABLE {{tables.applied_log}} (name text, at timestamptz DEFAULT clock_timestamp());\n";

    private static List<String> log(DatabaseManager db) {
        return db.fetchAll("SELECT name FROM {{tables.applied_log}} ORDER BY at")
                .getValues("name", String.class);
    }

    @Test
    void appliesPgdbmNamedFilesInNumericOrderAndRecordsThemInTheModulesHistoryTable(SharedPool pool) {
        MigrationFolder.in(dir)
                .file("1_log.sql", LOG_TABLE + "INSERT INTO {{tables.applied_log}} (name) VALUES ('1');")
                .file("10_ten.sql", "INSERT INTO {{tables.applied_log}} (name) VALUES ('10');")
                .file("2_two.sql", "INSERT INTO {{tables.applied_log}} (name) VALUES ('2');");
        DatabaseManager db = pool.manager("ordering");
        MigrationManager migrations = MigrationManager.of(db, dir, "orders_module");
        MigrationResult result = migrations.applyPending();
        assertThat(result.status()).isEqualTo(MigrationResult.Status.APPLIED);
        assertThat(result.applied())
                .extracting(AppliedMigration::file)
                .containsExactly("1_log.sql", "2_two.sql", "10_ten.sql");
        assertThat(result.applied().get(0).version()).contains("1");
        assertThat(result.applied().get(0).description()).isEqualTo("log");
        assertThat(log(db)).containsExactly("1", "2", "10");
        assertThat(migrations.historyTable()).isEqualTo("orders_module_schema_history");
        assertThat(db.tableExists("orders_module_schema_history")).isTrue();
        assertThat(db.fetchValue(
                        Long.class, "SELECT count(*) FROM {{tables.orders_module_schema_history}} WHERE success"))
                .isEqualTo(3L);
    }

    /**
     * A SQL-standard routine body ({@code BEGIN ATOMIC … END}) holds semicolons and ends with END: it is one
     * statement, not a COMMIT in the middle of the file, and the file applies in a new schema and an existing one.
     */
    @Test
    void routinesWithStandardBodiesApply(SharedPool pool) {
        MigrationFolder.in(dir)
                .file(
                        "001_functions.sql",
                        "CREATE TABLE {{tables.t}} (id int);\n"
                                + "CREATE FUNCTION {{tables.two}}(x int) RETURNS int LANGUAGE sql\n"
                                + "BEGIN ATOMIC\n"
                                + "  SELECT 1;\n"
                                + "  SELECT CASE WHEN x > 0 THEN 2 ELSE 0 END;\n"
                                + "END;\n"
                                + "INSERT INTO {{tables.t}} VALUES ({{tables.two}}(5));\n");
        DatabaseManager db = pool.manager("atomic_bodies");
        MigrationManager.of(db, dir, "atomic").applyPending();
        MigrationFolder.in(dir)
                .file(
                        "002_procedure.sql",
                        "CREATE PROCEDURE {{tables.add}}(v int) LANGUAGE sql\n"
                                + "BEGIN ATOMIC\n  INSERT INTO {{tables.t}} VALUES (v);\nEND;\n"
                                + "CALL {{tables.add}}(7);\n");
        MigrationManager.of(db, dir, "atomic").applyPending();
        assertThat(db.fetchAll("SELECT id FROM {{tables.t}} ORDER BY id").getValues("id", Integer.class))
                .containsExactly(2, 7);
    }

    @Test
    void aSecondRunAppliesNothing(SharedPool pool) {
        MigrationFolder.in(dir)
                .file("001_initial.sql", LOG_TABLE + "INSERT INTO {{tables.applied_log}} VALUES ('once');");
        DatabaseManager db = pool.manager("noop");
        MigrationManager.of(db, dir, "noop").applyPending();
        MigrationResult again = MigrationManager.of(db, dir, "noop").applyPending();
        assertThat(again.status()).isEqualTo(MigrationResult.Status.UP_TO_DATE);
        assertThat(again.applied()).isEmpty();
        assertThat(log(db)).containsExactly("once");
    }

    @Test
    void createsTheSchemaWhenMissing(SharedPool pool) {
        MigrationFolder.in(dir).file("001_t.sql", "CREATE TABLE {{tables.t}} (id int);");
        DatabaseManager db = pool.manager("created_by_migrations");
        assertThat(db.fetchValue(
                        Boolean.class,
                        "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
                        "created_by_migrations"))
                .isFalse();
        MigrationManager.of(db, dir, "m").applyPending();
        assertThat(db.tableExists("t")).isTrue();
    }

    @Test
    void timestampNamesOrderByDateAndTime(SharedPool pool) {
        MigrationFolder.in(dir)
                .file("20240101_120000_first.sql", LOG_TABLE + "INSERT INTO {{tables.applied_log}} VALUES ('a');")
                .file("20240101_130000_second.sql", "INSERT INTO {{tables.applied_log}} VALUES ('b');")
                .file("20231231_235959_zero.sql", "SELECT 1;");
        DatabaseManager db = pool.manager("stamps");
        MigrationResult result = MigrationManager.of(db, dir, "stamps").applyPending();
        assertThat(result.applied())
                .extracting(AppliedMigration::file)
                .containsExactly("20231231_235959_zero.sql", "20240101_120000_first.sql", "20240101_130000_second.sql");
        assertThat(result.applied().get(1).version()).contains("20240101.120000");
    }

    @Test
    void flywayNamesIncludingRepeatablesWork(SharedPool pool) {
        MigrationFolder.in(dir)
                .file("V1__create.sql", "CREATE TABLE {{tables.items}} (id int, name text);")
                .file("V1.1__seed.sql", "INSERT INTO {{tables.items}} VALUES (1, 'one');")
                .file("V2_1__more.sql", "INSERT INTO {{tables.items}} VALUES (2, 'two');")
                .file(
                        "R__view.sql",
                        "CREATE OR REPLACE VIEW {{tables.item_names}} AS SELECT name FROM {{tables.items}};");
        DatabaseManager db = pool.manager("flyway_names");
        MigrationResult result = MigrationManager.of(db, dir, "fw").applyPending();
        assertThat(result.applied())
                .extracting(AppliedMigration::file)
                .containsExactly("V1__create.sql", "V1.1__seed.sql", "V2_1__more.sql", "R__view.sql");
        assertThat(result.applied().get(3).version()).isEmpty();
        assertThat(db.fetchAll("SELECT * FROM {{tables.item_names}}")).hasSize(2);

        // A changed repeatable runs again; an unchanged one does not.
        MigrationFolder.in(dir)
                .file(
                        "R__view.sql",
                        "CREATE OR REPLACE VIEW {{tables.item_names}} AS SELECT name FROM {{tables.items}} WHERE id > 1;");
        MigrationResult rerun = MigrationManager.of(db, dir, "fw").applyPending();
        assertThat(rerun.applied()).extracting(AppliedMigration::file).containsExactly("R__view.sql");
        assertThat(db.fetchAll("SELECT * FROM {{tables.item_names}}")).hasSize(1);
        assertThat(MigrationManager.of(db, dir, "fw").applyPending().status())
                .isEqualTo(MigrationResult.Status.UP_TO_DATE);
    }

    @Test
    void twoFilesWithOneVersionAreAnErrorNamingBoth(SharedPool pool) {
        MigrationFolder.in(dir).file("001_a.sql", "SELECT 1;").file("1_b.sql", "SELECT 2;");
        assertThatThrownBy(() -> MigrationManager.of(pool.manager("dup"), dir, "dup"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("001_a.sql")
                .hasMessageContaining("1_b.sql")
                .hasMessageContaining("version 1");
        MigrationFolder.in(dir).delete("1_b.sql").file("V001__c.sql", "SELECT 3;");
        assertThatThrownBy(() -> MigrationManager.of(pool.manager("dup"), dir, "dup"))
                .hasMessageContaining("001_a.sql")
                .hasMessageContaining("V001__c.sql");
    }

    @Test
    void hiddenAndNonSqlFilesAreIgnoredButEmptyAndMisnamedFilesAreErrors(SharedPool pool) {
        MigrationFolder.in(dir)
                .file("001_ok.sql", "CREATE TABLE {{tables.ok}} (id int);")
                .file(".002_hidden.sql", "this is not sql")
                .file("README.md", "notes")
                .file("003_backup.sql~", "junk");
        MigrationResult result =
                MigrationManager.of(pool.manager("ignoring"), dir, "ign").applyPending();
        assertThat(result.applied()).extracting(AppliedMigration::file).containsExactly("001_ok.sql");

        MigrationFolder.in(dir).file("002_empty.sql", "  \n\n");
        MigrationException empty = catchThrowableOfType(
                MigrationException.class, () -> MigrationManager.of(pool.manager("ignoring"), dir, "ign"));
        assertThat(empty.getMessage()).contains("002_empty.sql is empty");
        assertThat(empty.file()).contains("002_empty.sql");
        assertThat(empty.code()).isEqualTo(ErrorCode.MIGRATION);

        // down files (pgdbm's and Flyway's undo files) are for rollback(), never migrations
        MigrationFolder.in(dir)
                .delete("002_empty.sql")
                .file("U2__undo.sql", "this is not sql")
                .file("001_ok.down.sql", "DROP TABLE {{tables.ok}};");
        assertThat(MigrationManager.of(pool.manager("ignoring"), dir, "ign")
                        .applyPending()
                        .status())
                .isEqualTo(MigrationResult.Status.UP_TO_DATE);
    }

    @Test
    void versionZeroIsReserved(SharedPool pool) {
        MigrationFolder.in(dir).file("000_setup.sql", "SELECT 1;");
        assertThatThrownBy(() -> MigrationManager.of(pool.manager("zero"), dir, "zero"))
                .hasMessageContaining("000_setup.sql has version 0");
    }

    @Test
    void aLocationWithoutMigrationsCreatesNothing(SharedPool pool) {
        DatabaseManager db = pool.manager("never_created");
        MigrationResult result = MigrationManager.of(db, dir, "empty").applyPending();
        assertThat(result.status()).isEqualTo(MigrationResult.Status.NO_MIGRATIONS);
        assertThat(db.fetchValue(
                        Boolean.class, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'never_created')"))
                .isFalse();
        assertThat(MigrationManager.of(db, dir, "empty").status().migrations()).isEmpty();
    }

    @Test
    void aMissingLocationIsAnError(SharedPool pool) {
        assertThatThrownBy(() -> MigrationManager.of(pool.manager("x"), dir.resolve("nope"), "m"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> MigrationManager.of(pool.manager("x"), "classpath:db/does_not_exist", "m"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("no migrations folder db/does_not_exist on the class path");
    }

    @Test
    void moduleNamesAreValidatedAndLeaveRoomForTheHistoryTable(SharedPool pool) {
        assertThatThrownBy(() -> MigrationManager.of(pool.manager("x"), dir, "my-module"))
                .isInstanceOf(IdentifierException.class)
                .hasMessageContaining("module name 'my-module'");
        assertThatThrownBy(() -> MigrationManager.of(pool.manager("x"), dir, null))
                .isInstanceOf(IdentifierException.class);
        assertThatThrownBy(() -> MigrationManager.of(pool.manager("x"), dir, "m".repeat(43)))
                .isInstanceOf(IdentifierException.class)
                .hasMessageContaining("the limit is 42")
                .hasMessageContaining("_s_idx");
        // the longest name migrates: its history table and Flyway's index on it both fit 63 characters
        MigrationFolder.in(dir).file("001_t.sql", "CREATE TABLE {{tables.t}} (id int);");
        MigrationManager longest = MigrationManager.of(pool.manager("longest_module"), dir, "m".repeat(42));
        assertThat(longest.historyTable()).hasSize(57);
        assertThat(longest.applyPending().applied()).hasSize(1);
        assertThat(longest.applyPending().status()).isEqualTo(MigrationResult.Status.UP_TO_DATE);
    }

    @Test
    void templatesRenderPerSchemaWhileTheChecksumStaysTheTemplates(SharedPool pool) {
        MigrationFolder.in(dir).file("001_types.sql", """
                CREATE TYPE {{schema}}.status AS ENUM ('new', 'done');
                CREATE TABLE {{tables.tasks}} (id serial PRIMARY KEY, status {{schema}}.status NOT NULL DEFAULT 'new');
                """);
        List<String> schemas = List.of("tenant_a", "tenant_b", "tenant_c");
        for (String schema : schemas) {
            MigrationManager.of(pool.manager(schema), dir, "tasks").applyPending();
            pool.manager(schema).execute("INSERT INTO {{tables.tasks}} DEFAULT VALUES");
        }
        List<Optional<Integer>> checksums = schemas.stream()
                .map(s -> MigrationManager.of(pool.manager(s), dir, "tasks")
                        .status()
                        .applied()
                        .get(0)
                        .appliedChecksum())
                .toList();
        assertThat(checksums).doesNotContain(Optional.empty()).containsOnly(checksums.get(0));
        for (String schema : schemas) {
            DatabaseManager db = pool.manager(schema);
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.tasks}}"))
                    .isEqualTo(1L);
            assertThat(db.fetchValue(
                            String.class,
                            "SELECT n.nspname::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
                                    + " WHERE t.typname = 'status' AND n.nspname = $1",
                            schema))
                    .isEqualTo(schema);
        }
    }

    @Test
    void checksumsIgnoreLineEndings(SharedPool pool) {
        MigrationFolder.in(dir).file("001_t.sql", "CREATE TABLE {{tables.t}} (id int);\nSELECT 1;\n");
        DatabaseManager db = pool.manager("eol");
        MigrationManager.of(db, dir, "eol").applyPending();
        MigrationFolder.in(dir).file("001_t.sql", "CREATE TABLE {{tables.t}} (id int);\r\nSELECT 1;\r\n");
        assertThat(MigrationManager.of(db, dir, "eol").applyPending().status())
                .isEqualTo(MigrationResult.Status.UP_TO_DATE);
        MigrationManager.of(db, dir, "eol").validate();
    }

    @Test
    void twoModulesShareASchemaWithoutSeeingEachOthersHistory(SharedPool pool, @TempDir Path other) {
        MigrationFolder.in(dir).file("001_users.sql", "CREATE TABLE {{tables.users}} (id int);");
        MigrationFolder.in(other)
                .file("001_audit.sql", "CREATE TABLE {{tables.audit}} (id int);")
                .file("002_more.sql", "ALTER TABLE {{tables.audit}} ADD COLUMN note text;");
        DatabaseManager db = pool.manager("shared_schema");
        MigrationManager.of(db, dir, "users").applyPending();
        // The schema now holds another module's tables; the second module still applies from its first file.
        MigrationResult second = MigrationManager.of(db, other, "audit").applyPending();
        assertThat(second.applied())
                .extracting(AppliedMigration::file)
                .containsExactly("001_audit.sql", "002_more.sql");
        assertThat(db.tableExists("users_schema_history")).isTrue();
        assertThat(db.tableExists("audit_schema_history")).isTrue();
        assertThat(MigrationManager.of(db, other, "audit").status().upToDate()).isTrue();
        assertThat(MigrationManager.of(db, dir, "users").applyPending().status())
                .isEqualTo(MigrationResult.Status.UP_TO_DATE);
    }

    /**
     * Flyway's connections come with the schema first on their search_path (so Flyway need not set it per
     * migration); schema names that print quoted (upper case, a reserved word) take Flyway's own path.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"restore_check", "RestoreCheck", "user"})
    void migrationsLeavePooledConnectionsAsTheyFoundThem(String schema, TestDatabase database) throws Exception {
        // A pool of exactly the connections a migration run uses (lock holder + Flyway's two): afterwards each
        // of them is checked, so whichever Flyway used is among them.
        try (SharedPool small = SharedPool.create(
                database.config().minConnections(3).maxConnections(3).build())) {
            String before = small.manager().fetchValue(String.class, "SHOW search_path");
            MigrationFolder.in(dir)
                    .file("001_t.sql", "CREATE TABLE unqualified (id int);")
                    .file("002_u.sql", "CREATE TABLE unqualified_too (id int);");
            MigrationManager.of(small.manager(schema), dir, "m").applyPending();
            java.util.List<java.sql.Connection> all = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    all.add(small.acquire());
                }
                for (java.sql.Connection connection : all) {
                    try (var statement = connection.createStatement();
                            var rs = statement.executeQuery("SHOW search_path")) {
                        rs.next();
                        assertThat(rs.getString(1)).isEqualTo(before);
                        assertThat(connection.getAutoCommit()).isTrue();
                    }
                }
            } finally {
                for (java.sql.Connection connection : all) {
                    connection.close();
                }
            }
            // Flyway-style unqualified names land in the module's schema, as plain Flyway would put them.
            assertThat(small.manager(schema).tableExists("unqualified")).isTrue();
            assertThat(small.manager(schema).tableExists("unqualified_too")).isTrue();
            assertThat(small.manager()
                            .fetchValue(
                                    Long.class,
                                    "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'unqualified%'"
                                            + " AND schemaname NOT IN ('restore_check', 'RestoreCheck', 'user')"))
                    .isZero();
        }
    }
}
