package io.pgdbm.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PostgresExtension.class)
class PgdbmCompatibilityTest {
    /** Written as Python pgdbm users write migrations. */
    static final String PGDBM_MIGRATION = """
            -- Orders module, initial schema
            CREATE EXTENSION IF NOT EXISTS pgcrypto;

            CREATE TYPE {{schema}}.order_status AS ENUM ('pending', 'paid', 'shipped');

            CREATE TABLE IF NOT EXISTS {{tables.orders}} (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                status {{schema}}.order_status NOT NULL DEFAULT 'pending',
                total NUMERIC(10, 2) NOT NULL CHECK (total >= 0),
                updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
            );

            CREATE OR REPLACE FUNCTION {{schema}}.touch_updated_at() RETURNS trigger AS $$
            BEGIN
                NEW.updated_at := NOW();  -- a semicolon inside the body; {{tables.orders}} in a comment
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql;

            CREATE TRIGGER orders_touch BEFORE UPDATE ON {{tables.orders}}
                FOR EACH ROW EXECUTE FUNCTION {{schema}}.touch_updated_at();

            CREATE INDEX IF NOT EXISTS orders_status_idx ON {{tables.orders}} (status);
            INSERT INTO {{tables.orders}} (total) VALUES (10.50), (3.25);
            """;

    @TempDir
    Path dir;

    @Test
    void sqlWrittenForPythonPgdbmRunsUnchanged(SharedPool pool) throws IOException {
        Files.writeString(dir.resolve("001_initial.sql"), PGDBM_MIGRATION);
        Files.writeString(
                dir.resolve("002_paid.sql"), "UPDATE {{tables.orders}} SET status = 'paid' WHERE total > 5;\n");
        for (String schema : new String[] {"shop_one", "shop_two"}) {
            DatabaseManager db = pool.manager(schema);
            MigrationManager.of(db, dir, "orders").applyPending();
            Record paid = db.fetchOne("SELECT id, status::text AS status, updated_at FROM {{tables.orders}}"
                            + " WHERE status = 'paid'")
                    .orElseThrow();
            assertThat(paid.get("id")).isInstanceOf(UUID.class);
            assertThat(paid.get("status", String.class)).isEqualTo("paid");
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.orders}}"))
                    .isEqualTo(2L);
        }
    }

    @Test
    void anExistingFlywayFolderRunsUnchanged(SharedPool pool) throws IOException {
        // Plain Flyway migrations: unqualified names, Flyway file names, a repeatable view.
        Files.writeString(
                dir.resolve("V1__create_people.sql"), "CREATE TABLE people (id serial PRIMARY KEY, name text);\n");
        Files.writeString(dir.resolve("V2__seed.sql"), "INSERT INTO people (name) VALUES ('Ada'), ('Linus');\n");
        Files.writeString(
                dir.resolve("R__people_view.sql"), "CREATE OR REPLACE VIEW people_names AS SELECT name FROM people;\n");
        DatabaseManager db = pool.manager("legacy_flyway");
        MigrationManager.of(db, dir, "legacy").applyPending();
        assertThat(db.fetchAll("SELECT name FROM {{tables.people_names}} ORDER BY name")
                        .getValues("name", String.class))
                .containsExactly("Ada", "Linus");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "directory entries in the jar: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void migrationsLoadFromTheClassPathInsideAPackagedJar(
            boolean directoryEntries, SharedPool pool, @TempDir Path jarDir) throws IOException {
        Path jar = jarDir.resolve("library-with-migrations.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            if (directoryEntries) {
                out.putNextEntry(new JarEntry("db/"));
                out.putNextEntry(new JarEntry("db/jarlib/"));
            }
            put(out, "db/jarlib/001_initial.sql", "CREATE TABLE {{tables.widgets}} (id int PRIMARY KEY, name text);\n");
            put(out, "db/jarlib/002_seed.sql", "INSERT INTO {{tables.widgets}} VALUES (1, 'from the jar');\n");
            put(out, "db/jarlib/notes.txt", "ignored");
            put(out, "db/jarlib/nested/003_not_this_folder.sql", "SELECT broken;");
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, previous)) {
            Thread.currentThread().setContextClassLoader(loader);
            DatabaseManager db = pool.manager("from_jar_" + directoryEntries);
            MigrationResult result =
                    MigrationManager.of(db, "classpath:db/jarlib", "jarlib").applyPending();
            assertThat(result.applied())
                    .extracting(AppliedMigration::file)
                    .containsExactly("001_initial.sql", "002_seed.sql");
            assertThat(db.fetchValue(String.class, "SELECT name FROM {{tables.widgets}}"))
                    .isEqualTo("from the jar");
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void migrationsLoadFromTheClassPathInADirectory(SharedPool pool) {
        // src/test/resources/db/cp_module is on the test class path as a directory.
        DatabaseManager db = pool.manager("from_classpath_dir");
        MigrationResult result =
                MigrationManager.of(db, "classpath:db/cp_module", "cp_module").applyPending();
        assertThat(result.applied()).extracting(AppliedMigration::file).containsExactly("001_notes.sql");
        assertThat(db.tableExists("notes")).isTrue();
    }

    private static void put(JarOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        OutputStream stream = out;
        stream.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
