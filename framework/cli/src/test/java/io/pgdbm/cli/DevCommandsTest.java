package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands pgdbm's CLI has and ours gained: dev start/watch/reset/export-schema, schema deps/clean,
 * migrate rollback, generate tests, and pgdbm's option names. In-process, against a real PostgreSQL.
 */
class DevCommandsTest {
    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;

    @BeforeEach
    void project() throws Exception {
        database = TestDatabaseFactory.shared().create();
        write("users/001_users.sql", "CREATE TABLE {{tables.users}} (id bigint PRIMARY KEY, email text NOT NULL);");
        write("users/001_users.down.sql", "DROP TABLE {{tables.users}};");
        write("users/002_index.sql", "CREATE INDEX users_email ON {{tables.users}} (email);");
        write("users/002_index.down.sql", "DROP INDEX {{schema}}.users_email;");
        write(
                "orders/001_orders.sql",
                "CREATE TABLE {{tables.orders}} (id bigint PRIMARY KEY,"
                        + " user_id bigint REFERENCES {{tables.users.users}});");
        write("billing/001_invoices.sql", "CREATE TABLE {{tables.invoices}} (id bigint PRIMARY KEY);");
        write("pgdbm.toml", """
                [project]
                name = "shop"

                [environments.dev]
                url = "${TEST_DB_URL}"

                [modules.orders]
                migrations_path = "orders"
                schema = "orders"
                depends_on = ["users"]

                [modules.users]
                migrations_path = "users"
                schema = "users"

                [modules.billing]
                migrations_path = "billing"
                schema = "billing"
                depends_on = ["orders"]
                """);
        cli = new Cli(dir).env("TEST_DB_URL", database.url());
    }

    @AfterEach
    void drop() {
        database.close();
    }

    private void write(String path, String content) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private boolean table(String schema, String table) {
        return database.manager().fetchValue(Boolean.class, "SELECT to_regclass($1) IS NOT NULL", schema + "." + table);
    }

    @Test
    void rollbackRunsDownFilesAfterConfirmationAndSaysWhatItCannotUndo() throws Exception {
        assertThat(cli.run("migrate", "apply").exitCode()).isZero();
        Cli.Run unconfirmed = cli.run("migrate", "rollback", "--module", "users", "--version", "1");
        assertThat(unconfirmed.exitCode()).isEqualTo(ExitCodes.NOT_CONFIRMED);
        assertThat(unconfirmed.err()).contains("--yes");

        Cli.Run rolled = cli.run("migrate", "rollback", "--module", "users", "--version", "1", "--confirm");
        assertThat(rolled.exitCode()).as(rolled.all()).isZero();
        assertThat(rolled.out()).contains("✓ users: rolled back 002_index.sql");
        assertThat(table("users", "users_email")).isFalse();
        assertThat(table("users", "users")).isTrue();
        assertThat(cli.run("migrate", "rollback", "-m", "users", "--version", "1", "--yes")
                        .out())
                .contains("nothing applied after version 1");

        Cli.Run noDownFile = cli.run("migrate", "rollback", "-m", "orders", "--version", "0", "--yes");
        assertThat(noDownFile.exitCode()).isEqualTo(ExitCodes.MIGRATION);
        assertThat(noDownFile.err())
                .contains("001_orders.sql has no down file: write 001_orders.down.sql")
                .contains("nothing was undone");
        assertThat(table("orders", "orders")).isTrue();

        Cli.Run badVersion = cli.run("migrate", "rollback", "-m", "users", "--version", "latest", "--yes");
        assertThat(badVersion.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badVersion.err()).contains("not a migration version");
        assertThat(cli.run("migrate", "rollback", "-m", "users").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aChangedMigrationNamesTheCommandThatRepairsIt() throws Exception {
        assertThat(cli.run("migrate", "apply").exitCode()).isZero();
        write("users/002_index.sql", "CREATE INDEX users_email ON {{tables.users}} (email, id);");
        Cli.Run invalid = cli.run("migrate", "validate");
        assertThat(invalid.exitCode()).isEqualTo(ExitCodes.MIGRATION);
        assertThat(invalid.err())
                .contains("run `pgdbm migrate repair --module users`")
                .doesNotContain("repair()");
    }

    @Test
    void schemaDepsShowsTheGraph() {
        Cli.Run all = cli.run("schema", "deps");
        assertThat(all.exitCode()).as(all.all()).isZero();
        assertThat(all.out())
                .contains("Migration order: users → orders → billing")
                .containsPattern("orders\\s+schema orders\\s+depends on: users")
                .containsPattern("users\\s+schema users\\s+depends on: —");
        Cli.Run one = cli.run("schema", "deps", "--module", "orders");
        assertThat(one.out()).contains("depends on directly: users").contains("needed by:           billing");
        assertThat(cli.run("schema", "deps", "-m", "billing").out()).contains("migrates after:      users → orders");
        assertThat(cli.run("schema", "deps", "-m", "nope").exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
    }

    @Test
    void schemaCleanListsUnownedSchemasAndDropsThemOnlyWhenConfirmed() {
        assertThat(cli.run("migrate", "apply").exitCode()).isZero();
        DatabaseManager admin = database.manager();
        admin.execute("CREATE SCHEMA stray; CREATE TABLE stray.t (x int); CREATE SCHEMA empty_one");
        try (SharedPool pool = SharedPool.create(database.config().build())) {
            MigrationManager.of(pool.manager("tenant_7"), dir.resolve("users"), "users")
                    .applyPending();
        }
        Cli.Run dry = cli.run("schema", "clean");
        assertThat(dry.exitCode()).as(dry.all()).isZero();
        assertThat(dry.out())
                .contains("- would drop empty_one (0 object(s))")
                .contains("- would drop stray (1 object(s))")
                .contains("Nothing was dropped: run `pgdbm schema clean --yes`")
                .doesNotContain("tenant_7")
                .doesNotContain("would drop users")
                .doesNotContain("would drop public");
        assertThat(admin.fetchValue(Long.class, "SELECT count(*) FROM pg_namespace WHERE nspname = 'stray'"))
                .isEqualTo(1);
        assertThat(cli.run("schema", "clean", "--dry-run", "--yes").out()).contains("Nothing was dropped");

        Cli.Run dropped = cli.run("schema", "clean", "--yes");
        assertThat(dropped.exitCode()).as(dropped.all()).isZero();
        assertThat(dropped.out()).contains("✓ Dropped 2 schema(s): empty_one, stray");
        assertThat(admin.fetchValue(
                        Long.class,
                        "SELECT count(*) FROM pg_namespace WHERE nspname IN ('stray', 'empty_one', 'tenant_7',"
                                + " 'users', 'orders', 'billing')"))
                .isEqualTo(4);
        assertThat(cli.run("schema", "clean").out()).contains("nothing to clean");
    }

    @Test
    void schemaCreateTakesAModule() {
        assertThat(cli.run("schema", "create", "--module", "billing").out()).contains("✓ Schema billing exists");
        assertThat(cli.run("schema", "create").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("schema", "create", "x", "--module", "users").exitCode())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("schema", "create", "--name", "named").exitCode()).isZero();
    }

    @Test
    void watchAppliesNewFilesAndReportsAFailingOneOnce() throws Exception {
        Cli.Run first = cli.run("dev", "watch", "--rounds", "1");
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(first.out())
                .contains("Watching the migrations of users, orders, billing every 2 s")
                .contains("✓ users: applied 001_users.sql")
                .contains("✓ billing: applied 001_invoices.sql");

        write("orders/002_total.sql", "ALTER TABLE {{tables.orders}} ADD COLUMN total numeric;");
        write("billing/002_broken.sql", "ALTER TABLE {{tables.invoices}} ADD COLUMN x no_such_type;");
        Cli.Run next = cli.run("dev", "watch", "--rounds", "3", "--interval", "0.05");
        assertThat(next.exitCode()).as(next.all()).isZero();
        assertThat(next.out()).contains("✓ orders: applied 002_total.sql").contains("every 0.05 s");
        assertThat(next.out().split("✗ billing:", -1))
                .as("reported once, not every round")
                .hasSize(2);
        assertThat(next.out()).contains("002_broken.sql").contains("no_such_type");

        Files.delete(dir.resolve("billing/002_broken.sql"));
        assertThat(cli.run("dev", "watch", "--interval", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void startOnAConfiguredServerCreatesAndMigrates() {
        String url = database.url();
        String target = url.substring(0, url.lastIndexOf('/') + 1) + "dev_" + Long.toHexString(System.nanoTime());
        Cli project = new Cli(dir).env("TEST_DB_URL", target);
        try {
            Cli.Run started = project.run("dev", "start");
            assertThat(started.exitCode()).as(started.all()).isZero();
            assertThat(started.out())
                    .contains("Created database")
                    .contains("✓ users: 2 migration(s) applied")
                    .contains("✓ Development environment ready")
                    .contains("Modules: users, orders, billing");
            Cli.Run reset = project.run("dev", "reset", "--yes");
            assertThat(reset.exitCode()).as(reset.all()).isZero();
            assertThat(reset.out()).contains("Dropped database").contains("✓ Development database reset");
        } finally {
            project.run("db", "drop", "--yes", "--force");
        }
    }

    @Test
    void startWithoutAServerRunsAnEmbeddedOneAndKeepsItsData() throws Exception {
        Path bare = dir.resolve("bare");
        Files.createDirectories(bare.resolve("migrations"));
        Files.writeString(bare.resolve("migrations/001_notes.sql"), "CREATE TABLE {{tables.notes}} (body text);");
        Path data = dir.resolve("dev-data");
        Cli.Run first =
                new Cli(bare).run("dev", "start", "--port", "0", "--data-dir", data.toString(), "--stop-when-ready");
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(first.out())
                .contains("No database configured")
                .contains("starting an embedded PostgreSQL, data in " + data)
                .containsPattern("✓ Development database ready: postgresql://postgres@localhost:\\d+/bare")
                .contains("✓ default: 1 migration(s) applied")
                .contains("export DATABASE_URL=postgresql://");
        Cli.Run second =
                new Cli(bare).run("dev", "start", "--port", "0", "--data-dir", data.toString(), "--stop-when-ready");
        assertThat(second.exitCode()).as(second.all()).isZero();
        assertThat(second.out()).contains("already exists").contains("✓ default: 0 migration(s) applied");
    }

    @Test
    void exportSchemaWritesDdlThatRebuildsTheSameSchemas() throws Exception {
        write("shop/001_shop.sql", """
                CREATE TYPE {{schema}}.status AS ENUM ('new', 'paid');
                CREATE DOMAIN {{schema}}.positive AS numeric CHECK (VALUE > 0);
                CREATE TYPE {{schema}}.money_pair AS (amount numeric, currency text);
                CREATE SEQUENCE {{schema}}.invoice_numbers START 1000 INCREMENT 5;
                CREATE TABLE {{tables.customers}} (
                    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    email text NOT NULL UNIQUE,
                    name text COLLATE "C",
                    created timestamptz NOT NULL DEFAULT now()
                ) WITH (fillfactor = 80);
                CREATE TABLE {{tables.orders}} (
                    id serial PRIMARY KEY,
                    customer_id bigint NOT NULL REFERENCES {{tables.customers}} ON DELETE CASCADE,
                    status {{schema}}.status NOT NULL DEFAULT 'new',
                    total {{schema}}.positive,
                    cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED,
                    CONSTRAINT sane CHECK (customer_id > 0)
                );
                CREATE INDEX orders_by_status ON {{tables.orders}} (status) WHERE status = 'new';
                CREATE TABLE {{tables.events}} (at date NOT NULL, kind text) PARTITION BY RANGE (at);
                CREATE TABLE {{tables.events_2025}} PARTITION OF {{tables.events}}
                    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
                CREATE UNLOGGED TABLE {{tables.cache}} (k text PRIMARY KEY, v jsonb);
                CREATE FUNCTION {{schema}}.touch() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN NEW.kind := coalesce(NEW.kind, 'unknown'); RETURN NEW; END $$;
                CREATE TRIGGER events_touched BEFORE INSERT ON {{tables.events}}
                    FOR EACH ROW EXECUTE FUNCTION {{schema}}.touch();
                CREATE FUNCTION {{schema}}.big_orders() RETURNS SETOF {{tables.orders}} LANGUAGE sql
                    AS 'SELECT * FROM {{tables.orders}} WHERE cents > 10000';
                CREATE VIEW {{schema}}.paid AS SELECT id, total FROM {{tables.orders}} WHERE status = 'paid';
                CREATE MATERIALIZED VIEW {{schema}}.totals AS
                    SELECT customer_id, sum(total) AS total FROM {{tables.orders}} GROUP BY customer_id;
                CREATE UNIQUE INDEX totals_customer ON {{schema}}.totals (customer_id);
                ALTER TABLE {{tables.orders}} ENABLE ROW LEVEL SECURITY;
                CREATE POLICY own_orders ON {{tables.orders}} USING (customer_id > 0);
                COMMENT ON TABLE {{tables.orders}} IS 'one row per order';
                COMMENT ON COLUMN {{tables.orders}}.total IS 'before tax';
                """);
        write("pgdbm.toml", """
                [environments.dev]
                url = "${TEST_DB_URL}"

                [modules.shop]
                migrations_path = "shop"
                schema = "shop"
                """);
        assertThat(cli.run("migrate", "apply").exitCode()).isZero();
        Cli.Run exported = cli.run("dev", "export-schema");
        assertThat(exported.exitCode()).as(exported.all()).isZero();
        assertThat(exported.out()).contains("✓ Exported the DDL of shop to schema.sql");
        String ddl = Files.readString(dir.resolve("schema.sql"));
        assertThat(ddl)
                .contains("CREATE TYPE shop.status AS ENUM ('new', 'paid');")
                .contains("PARTITION OF shop.events")
                .contains("CREATE TRIGGER events_touched")
                .contains("COMMENT ON COLUMN shop.orders.total IS 'before tax';")
                .doesNotContain("shop_schema_history");

        try (TestDatabase copy = TestDatabaseFactory.shared().create()) {
            try (var connection = copy.pool().acquire();
                    var statement = connection.createStatement()) {
                statement.execute(ddl);
            }
            Cli.Run again = new Cli(dir)
                    .env("TEST_DB_URL", copy.url())
                    .run("dev", "export-schema", "--schema", "shop", "--output", "-");
            assertThat(again.exitCode()).as(again.all()).isZero();
            assertThat(again.out()).as("the copy exports as the original").isEqualTo(ddl);
        }
    }

    @Test
    void generateTestsWritesATestOfAModulesMigrations() throws Exception {
        write(
                "users/src/main/resources/db/users/001_users.sql",
                "CREATE TABLE {{tables.users}} (id int);\n" + "CREATE TABLE {{tables.scratch}} (x int);");
        write("users/src/main/resources/db/users/002_drop.sql", "DROP TABLE {{tables.scratch}};");
        write("pgdbm.toml", """
                [modules.accounts]
                migrations_path = "users/src/main/resources/db/accounts"
                schema = "accounts"

                [modules.users]
                migrations_path = "users/src/main/resources/db/users"
                schema = "people"
                depends_on = ["accounts"]
                """);
        Files.createDirectories(dir.resolve("users/src/main/resources/db/accounts"));
        Cli.Run run = cli.run("generate", "tests", "--module", "users", "--package", "com.example.users");
        assertThat(run.exitCode()).as(run.all()).isZero();
        Path test = dir.resolve("users/src/test/java/com/example/users/UsersMigrationsTest.java");
        assertThat(test)
                .content()
                .contains("package com.example.users;")
                .contains(
                        "@Migrations(location = \"classpath:db/accounts\", module = \"accounts\", schema = \"accounts\")\n"
                                + "@Migrations(location = \"classpath:db/users\", module = \"users\", schema = \"people\")")
                .contains("assertThat(db.tableExists(\"users\")).as(\"users\").isTrue();")
                .doesNotContain("scratch")
                .doesNotContain("@rollback@")
                .doesNotContain("theDownFilesUndo");
        assertThat(cli.run("generate", "tests", "--module", "users").exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(cli.run("generate", "tests").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void pgdbmsOptionNamesWork() throws Exception {
        assertThat(cli.run("migrate", "status", "--all-modules").exitCode()).isZero();
        Cli.Run created = cli.run("migrate", "create", "add_things", "--path", "elsewhere", "--with-down");
        assertThat(created.exitCode()).as(created.all()).isZero();
        assertThat(dir.resolve("elsewhere/001_add_things.sql")).exists();
        assertThat(dir.resolve("elsewhere/001_add_things.down.sql")).exists();
        Path fresh = dir.resolve("fresh");
        Files.createDirectories(fresh);
        assertThat(new Cli(fresh).run("generate", "config", "--name", "My Shop").exitCode())
                .isZero();
        assertThat(fresh.resolve("pgdbm.toml")).content().contains("name = \"my_shop\"");
        Cli.Run library = new Cli(fresh).run("generate", "library", "notes", "--dual-mode", "--path", "libs/notes");
        assertThat(library.exitCode()).as(library.all()).isZero();
        assertThat(fresh.resolve("libs/notes/mvnw")).isExecutable();
        assertThat(fresh.resolve("libs/notes/.mvn/wrapper/maven-wrapper.properties"))
                .content()
                .contains("3.9.");
        assertThat(fresh.resolve("libs/notes/pgdbm.toml")).content().contains("[modules.notes]");
        assertThat(library.out()).contains("Next: cd libs/notes && ./mvnw verify");
    }
}
