package io.pgdbm.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.DatabaseManager;
import io.pgdbm.LogCapture;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** pgdbm's migration rules that the first release missed, and the transaction rules of a migration file. */
@ExtendWith(PostgresExtension.class)
class PgdbmMigrationRulesTest {
    @TempDir
    Path dir;

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static boolean tableExists(DatabaseManager db, String table) {
        return db.tableExists(table);
    }

    @Test
    void aFileWrappedInBeginCommitAppliesAsOneTransaction(SharedPool pool) {
        DatabaseManager db = pool.manager(unique("wrapped"));
        // as pgdbm's create_migration writes it
        MigrationFolder.in(dir).file("20240101_120000_accounts.sql", """
                        BEGIN;

                        CREATE TABLE {{tables.accounts}} (id int PRIMARY KEY);
                        CREATE TABLE {{tables.broken}} (id int REFERENCES {{tables.nowhere}} (id));

                        COMMIT;
                        """);
        MigrationException failure = org.assertj.core.api.Assertions.catchThrowableOfType(
                MigrationException.class,
                () -> MigrationManager.of(db, dir, "accounts").applyPending());
        assertThat(failure.getMessage())
                .contains("20240101_120000_accounts.sql")
                .contains("line 4");
        assertThat(tableExists(db, "accounts")).as("nothing of the file stays").isFalse();

        MigrationFolder.in(dir).file("20240101_120000_accounts.sql", """
                BEGIN;

                CREATE TABLE {{tables.accounts}} (id int PRIMARY KEY);

                COMMIT;
                """);
        MigrationManager.of(db, dir, "accounts").applyPending();
        assertThat(tableExists(db, "accounts")).isTrue();
    }

    @Test
    void aCommitInTheMiddleOfAFileIsRefusedBeforeAnythingRuns(SharedPool pool) {
        DatabaseManager db = pool.manager(unique("mid_commit"));
        for (String control : List.of("COMMIT;", "ROLLBACK;", "BEGIN;", "END;", "START TRANSACTION;", "commit work;")) {
            MigrationFolder.in(dir).file("001_split.sql", """
                    CREATE TABLE {{tables.first}} (id int);
                    -- a comment
                    %s
                    CREATE TABLE {{tables.second}} (id int);
                    """.formatted(control));
            assertThatThrownBy(() -> MigrationManager.of(db, dir, "split").applyPending())
                    .as(control)
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("001_split.sql line 3")
                    .hasMessageContaining("-- pgdbm:no-transaction");
            assertThat(tableExists(db, "first")).as(control).isFalse();
        }
        // words in strings, comments and function bodies are not statements
        MigrationFolder.in(dir).file("001_split.sql", """
                CREATE TABLE {{tables.first}} (note text DEFAULT 'COMMIT;');
                /* ROLLBACK; */ -- BEGIN;
                CREATE FUNCTION {{schema}}.f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
                """);
        MigrationManager.of(db, dir, "split").applyPending();
        assertThat(tableExists(db, "first")).isTrue();
    }

    @Test
    void aNonTransactionalFileMayControlItsOwnTransactions(SharedPool pool) {
        DatabaseManager db = pool.manager(unique("own_tx"));
        MigrationFolder.in(dir).file("001_own.sql", """
                -- pgdbm:no-transaction
                BEGIN;
                CREATE TABLE {{tables.a}} (id int);
                COMMIT;
                CREATE TABLE {{tables.b}} (id int);
                """);
        MigrationManager.of(db, dir, "own").applyPending();
        assertThat(tableExists(db, "a")).isTrue();
        assertThat(tableExists(db, "b")).isTrue();
    }

    @Test
    void joiningACommentOntoTheNextLineChangesTheChecksumButLineEndingsDoNot(SharedPool pool) {
        DatabaseManager db = pool.manager(unique("checksums"));
        MigrationFolder.in(dir)
                .file(
                        "001_t.sql",
                        "CREATE TABLE {{tables.t}} (id int);\n-- note\nALTER TABLE {{tables.t}} ADD x int;\n");
        MigrationManager.of(db, dir, "sums").applyPending();

        // the same file written on another machine
        MigrationFolder.in(dir)
                .file(
                        "001_t.sql",
                        "CREATE TABLE {{tables.t}} (id int);\r\n-- note\r\nALTER TABLE {{tables.t}} ADD x int;\r\n");
        assertThat(MigrationManager.of(db, dir, "sums").applyPending().status())
                .isEqualTo(MigrationResult.Status.UP_TO_DATE);

        // the ALTER commented out: a change of meaning
        MigrationFolder.in(dir)
                .file("001_t.sql", "CREATE TABLE {{tables.t}} (id int);\n-- noteALTER TABLE {{tables.t}} ADD x int;\n");
        assertThat(MigrationManager.of(db, dir, "sums").status().changed())
                .extracting(MigrationInfo::file)
                .containsExactly("001_t.sql");
        assertThatThrownBy(() -> MigrationManager.of(db, dir, "sums").applyPending())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("001_t.sql changed after it was applied");
    }

    /** The checksum releases before this one recorded: each line's bytes, line breaks left out. */
    private static int legacyChecksum(String text) {
        CRC32 crc = new CRC32();
        for (String line : text.split("\r\n|\r|\n", -1)) {
            crc.update(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return (int) crc.getValue();
    }

    @Test
    void checksumsRecordedByEarlierReleasesAreAcceptedOnceAndReRecorded(SharedPool pool) {
        DatabaseManager db = pool.manager(unique("legacy"));
        String text = "CREATE TABLE {{tables.t}} (id int);\nCREATE INDEX ON {{tables.t}} (id);\n";
        MigrationFolder.in(dir).file("001_t.sql", text);
        MigrationManager.of(db, dir, "old").applyPending();
        db.execute(
                "UPDATE {{tables.old_schema_history}} SET checksum = $1 WHERE version = '001'", legacyChecksum(text));

        try (LogCapture logs = new LogCapture()) {
            assertThat(MigrationManager.of(db, dir, "old").applyPending().status())
                    .isEqualTo(MigrationResult.Status.UP_TO_DATE);
            assertThat(logs.messages()).anyMatch(m -> m.contains("re-recorded the checksum of 001_t.sql"));
        }
        MigrationManager.of(db, dir, "old").validate();
        int recorded = db.fetchValue(
                Integer.class, "SELECT checksum FROM {{tables.old_schema_history}} WHERE version = '001'");
        assertThat(recorded).isNotEqualTo(legacyChecksum(text));
        assertThat(MigrationManager.of(db, dir, "old").status().applied()).hasSize(1);
    }

    @Test
    void aManagerSeesTheFolderAsItIsNowNotAsItWasWhenMade(SharedPool pool) {
        DatabaseManager db = pool.manager(unique("reread"));
        MigrationFolder.in(dir).file("001_a.sql", "CREATE TABLE {{tables.a}} (id int);");
        MigrationManager migrations = MigrationManager.of(db, dir, "reread");
        migrations.applyPending();

        MigrationFolder.in(dir).file("002_b.sql", "CREATE TABLE {{tables.b}} (id int);");
        assertThat(migrations.status().pending())
                .extracting(MigrationInfo::file)
                .containsExactly("002_b.sql");
        assertThat(migrations.plan().steps()).hasSize(1);
        assertThat(migrations.applyPending().applied())
                .extracting(AppliedMigration::file)
                .containsExactly("002_b.sql");
        assertThat(tableExists(db, "b")).isTrue();
    }

    @Test
    void filesWithoutANumberApplyOnceAfterTheNumberedOnesInNameOrder(SharedPool pool) {
        DatabaseManager db = pool.manager(unique("named"));
        db.ensureSchema();
        db.execute("CREATE TABLE {{tables.log}} (entry text, at serial)");
        MigrationFolder.in(dir)
                .file("custom_name.sql", "INSERT INTO {{tables.log}} (entry) VALUES ('custom_name');")
                .file("add_users.sql", "INSERT INTO {{tables.log}} (entry) VALUES ('add_users');")
                .file("002_second.sql", "INSERT INTO {{tables.log}} (entry) VALUES ('002');")
                .file("001_first.sql", "INSERT INTO {{tables.log}} (entry) VALUES ('001');");
        MigrationManager migrations = MigrationManager.of(db, dir, "named");
        migrations.applyPending();
        assertThat(db.fetchAll(String.class, "SELECT entry FROM {{tables.log}} ORDER BY at"))
                .containsExactly("001", "002", "add_users", "custom_name");
        assertThat(migrations.status().applied())
                .extracting(info -> info.version().orElse(null))
                .containsExactly("001", "002", "add_users", "custom_name");

        // applied once: a second run does nothing
        assertThat(migrations.applyPending().status()).isEqualTo(MigrationResult.Status.UP_TO_DATE);
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.log}}"))
                .isEqualTo(4);

        // changed after it was applied: refused, as pgdbm refuses it
        MigrationFolder.in(dir).file("custom_name.sql", "INSERT INTO {{tables.log}} (entry) VALUES ('again');");
        assertThatThrownBy(migrations::applyPending)
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("custom_name.sql")
                .hasMessageContaining("changed after it was applied");
        assertThat(migrations.status().changed())
                .extracting(MigrationInfo::file)
                .containsExactly("custom_name.sql");
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.log}}"))
                .isEqualTo(4);
    }

    /** A migration as a pgdbm app writes it: an extension, then defaults and functions that use it. */
    private static final String TODO_MIGRATION = """
            BEGIN;

            CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

            CREATE TYPE priority AS ENUM ('low', 'high');

            CREATE TABLE IF NOT EXISTS {{tables.todos}} (
                id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
                title TEXT NOT NULL,
                priority priority NOT NULL DEFAULT 'low',
                updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
            );

            CREATE OR REPLACE FUNCTION touch() RETURNS TRIGGER AS $$
            BEGIN
                NEW.updated_at = now();
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql;

            CREATE TRIGGER todos_touch BEFORE UPDATE ON {{tables.todos}} FOR EACH ROW EXECUTE FUNCTION touch();

            CREATE INDEX idx_todos_updated ON {{tables.todos}} (updated_at DESC);

            COMMIT;
            """;

    @Test
    void aPgdbmAppsMigrationAppliesUnchangedIntoSeveralSchemasAndExtensionsAreShared(SharedPool pool) {
        MigrationFolder.in(dir).file("001_initial_schema.sql", TODO_MIGRATION);
        List<String> tenants = List.of(unique("todo_a"), unique("todo_b"), unique("todo_c"));
        for (String tenant : tenants) {
            MigrationManager.of(pool.manager(tenant), dir, "todo").applyPending();
            pool.manager(tenant).execute("INSERT INTO {{tables.todos}} (title, priority) VALUES ($1, 'high')", tenant);
        }
        DatabaseManager admin = pool.manager();
        assertThat(admin.fetchValue(
                        String.class,
                        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                                + " WHERE e.extname = 'uuid-ossp'"))
                .as("the extension lives where every schema finds it")
                .isEqualTo("public");

        // dropping one tenant keeps the extension for the others
        admin.execute("DROP SCHEMA \"" + tenants.get(0) + "\" CASCADE");
        for (String tenant : tenants.subList(1, 3)) {
            pool.manager(tenant).execute("INSERT INTO {{tables.todos}} (title) VALUES ($1)", "after the drop");
            assertThat(pool.manager(tenant).fetchValue(Long.class, "SELECT count(*) FROM {{tables.todos}}"))
                    .isEqualTo(2);
        }
        assertThat(admin.fetchValue(Long.class, "SELECT count(*) FROM pg_extension WHERE extname = 'uuid-ossp'"))
                .isEqualTo(1);
    }

    @Test
    void anExtensionThatNamesItsSchemaIsLeftAlone(SharedPool pool) {
        DatabaseManager admin = pool.manager();
        admin.execute("CREATE SCHEMA IF NOT EXISTS ext_home");
        MigrationFolder.in(dir).file("001_ext.sql", "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA ext_home;");
        MigrationManager.of(pool.manager(unique("ext_user")), dir, "ext").applyPending();
        assertThat(admin.fetchValue(
                        String.class,
                        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                                + " WHERE e.extname = 'citext'"))
                .isEqualTo("ext_home");
    }
}
