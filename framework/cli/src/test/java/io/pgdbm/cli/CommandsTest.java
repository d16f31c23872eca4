package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command, in-process, against a real PostgreSQL: a fresh database per test. */
class CommandsTest {
    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;

    @BeforeEach
    void project() throws Exception {
        database = TestDatabaseFactory.shared().create();
        write("users/001_users.sql", "CREATE TABLE {{tables.users}} (id bigint PRIMARY KEY, email text NOT NULL);");
        write("users/002_index.sql", "CREATE INDEX ON {{tables.users}} (email);");
        write("orders/001_orders.sql", "CREATE TABLE {{tables.orders}} (id bigint PRIMARY KEY, user_id bigint);");
        write("pgdbm.toml", """
                [project]
                name = "shop"
                default_env = "dev"

                [environments.dev]
                url = "${TEST_DB_URL}"

                [modules.orders]
                migrations_path = "orders"
                schema = "orders"
                depends_on = ["users"]

                [modules.users]
                migrations_path = "users"
                schema = "users"
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

    private DatabaseManager db() {
        return database.manager();
    }

    private boolean table(String schema, String table) {
        return db().fetchValue(Boolean.class, "SELECT to_regclass($1) IS NOT NULL", schema + "." + table);
    }

    @Test
    void applyRunsModulesInDependencyOrderAndIsIdempotent() {
        Cli.Run run = cli.run("migrate", "apply");
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out())
                .contains("Resolved module order: users → orders")
                .contains("✓ users: 001_users.sql")
                .contains("✓ users: 002_index.sql")
                .contains("✓ orders: 001_orders.sql");
        assertThat(run.out().indexOf("✓ users: 001")).isLessThan(run.out().indexOf("✓ orders: 001"));
        assertThat(table("users", "users")).isTrue();
        assertThat(table("orders", "orders")).isTrue();
        assertThat(table("users", "users_schema_history")).isTrue();
        assertThat(table("orders", "orders_schema_history")).isTrue();

        Cli.Run again = cli.run("migrate", "apply", "--all");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("✓ users: up to date").contains("✓ orders: up to date");
    }

    @Test
    void aModuleBringsItsDependenciesUnlessOnly() {
        Cli.Run only = cli.run("migrate", "apply", "--module", "orders", "--only");
        assertThat(only.exitCode()).as(only.all()).isZero();
        assertThat(table("orders", "orders")).isTrue();
        assertThat(table("users", "users")).isFalse();

        Cli.Run withDependencies = cli.run("migrate", "apply", "-m", "orders");
        assertThat(withDependencies.out()).contains("users → orders").contains("✓ users: 001_users.sql");
        assertThat(table("users", "users")).isTrue();

        Cli.Run unknown = cli.run("migrate", "apply", "--module", "payments");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(unknown.err()).contains("No module 'payments'").contains("orders, users");
    }

    @Test
    void tenantsApplyThenStatusAcrossSchemasWithAProgressLineAndJson() throws Exception {
        Cli.Run apply = cli.run("tenants", "apply", "-m", "users", "--schema", "tenant_1,tenant_2,tenant_3");
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        assertThat(apply.out())
                .contains("[1/3] ✓ tenant_")
                .contains("[3/3] ✓ tenant_")
                .contains("users: 3 up to date, 0 failed");
        assertThat(table("tenant_2", "users")).isTrue();

        write("users/003_more.sql", "ALTER TABLE {{tables.users}} ADD COLUMN name text;");
        Cli.Run status = cli.run("tenants", "status", "-m", "users", "--schemas-like", "tenant\\_%");
        assertThat(status.exitCode()).as(status.all()).isZero();
        assertThat(status.out())
                .containsPattern("behind\\s+tenant_1  pending: 003_more.sql")
                .contains("users: 3 behind (3 schemas");
        Cli.Run plan = cli.run("tenants", "plan", "-m", "users", "--schema", "tenant_1,tenant_9");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        assertThat(plan.out())
                .contains("→ tenant_1: would apply 003_more.sql")
                .contains("→ tenant_9: would create the schema and apply every file")
                .contains("users: 2 of 2 schemas would be migrated");
        assertThat(table("tenant_1", "users")).isTrue();
        assertThat(db().fetchValue(Boolean.class, "SELECT to_regnamespace('tenant_9') IS NULL"))
                .isTrue();
        Cli.Run json = cli.run("tenants", "status", "-m", "users", "--schema", "tenant_1,tenant_9", "--json");
        assertThat(json.exitCode()).as(json.all()).isZero();
        assertThat(json.out())
                .contains("{\"schema\": \"tenant_1\", \"state\": \"behind\", \"behind\": [\"003_more.sql\"]")
                .contains("{\"schema\": \"tenant_9\", \"state\": \"missing\"");

        // a tenant that cannot take the new file fails the run with exit 5; --stop-after 1 starts no more
        db().execute("ALTER TABLE tenant_1.users ADD COLUMN name text");
        Cli.Run stopped = cli.run(
                "tenants",
                "apply",
                "-m",
                "users",
                "--schema",
                "tenant_1,tenant_2,tenant_3",
                "--parallelism",
                "1",
                "--stop-after",
                "1");
        assertThat(stopped.exitCode()).as(stopped.all()).isEqualTo(ExitCodes.MIGRATION);
        assertThat(stopped.out()).contains("✗ tenant_1").contains("2 not started");
        assertThat(stopped.err()).contains("1 of 3 schemas failed, 2 not started: tenant_1");

        Cli.Run nothing = cli.run("tenants", "status", "-m", "users", "--schemas-like", "nobody\\_%");
        assertThat(nothing.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(nothing.err()).contains("No schema matches");
        assertThat(cli.run("tenants", "status", "-m", "users").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void dryRunChangesNothing() {
        Cli.Run run = cli.run("migrate", "apply", "--dry-run", "--verbose");
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out())
                .contains("→ users: would apply 001_users.sql")
                .contains("CREATE TABLE \"users\".users")
                .contains("→ orders: would apply 001_orders.sql");
        assertThat(table("users", "users")).isFalse();
        assertThat(table("users", "users_schema_history")).isFalse();
    }

    @Test
    void statusShowsStatesAsTextAndJson() {
        cli.run("migrate", "apply", "--module", "users", "--only");
        Cli.Run text = cli.run("migrate", "status");
        assertThat(text.exitCode()).as(text.all()).isZero();
        assertThat(text.out())
                .contains("users (schema users, history users_schema_history): 2 applied, 0 pending")
                .contains("orders (schema orders, history orders_schema_history): 0 applied, 1 pending")
                .containsPattern("applied\\s+001_users.sql");

        Cli.Run json = cli.run("migrate", "status", "--json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out().strip())
                .startsWith("{\"modules\": [")
                .endsWith("]}")
                .contains("{\"module\": \"users\", \"schema\": \"users\", \"historyTable\": \"users_schema_history\","
                        + " \"applied\": 2, \"pending\": 0")
                .contains(
                        "\"file\": \"001_orders.sql\", \"version\": \"001\", \"state\": \"pending\", \"appliedAt\": null");
    }

    @Test
    void aFailedMigrationExitsFiveAndKeepsWhatWasDone() throws Exception {
        write("orders/002_broken.sql", "ALTER TABLE {{tables.orders}} ADD COLUMN total no_such_type;");
        Cli.Run run = cli.run("migrate", "apply");
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCodes.MIGRATION);
        assertThat(run.err()).contains("002_broken.sql").contains("no_such_type");
        assertThat(run.err()).doesNotContain("at io.pgdbm"); // no stack trace without --verbose
        assertThat(table("users", "users")).isTrue();
        // the orders module's first run is all-or-nothing: nothing of it stays
        assertThat(table("orders", "orders")).isFalse();

        Cli.Run verbose = cli.run("migrate", "apply", "--verbose");
        assertThat(verbose.exitCode()).isEqualTo(ExitCodes.MIGRATION);
        assertThat(verbose.err()).contains("at io.pgdbm");
    }

    @Test
    void validateFindsChangedFilesAndRepairAcceptsThem() throws Exception {
        assertThat(cli.run("migrate", "apply").exitCode()).isZero();
        write("users/002_index.sql", "CREATE INDEX ON {{tables.users}} (email, id);");
        Cli.Run invalid = cli.run("migrate", "validate");
        assertThat(invalid.exitCode()).isEqualTo(ExitCodes.MIGRATION);
        assertThat(invalid.err()).contains("002_index.sql");

        Cli.Run repair = cli.run("migrate", "repair", "--module", "users", "--only");
        assertThat(repair.exitCode()).as(repair.all()).isZero();
        assertThat(repair.out()).contains("repaired").contains("002_index.sql");
        Cli.Run valid = cli.run("migrate", "validate");
        assertThat(valid.exitCode()).as(valid.all()).isZero();
        assertThat(valid.out()).contains("✓ users: history matches the files").contains("✓ orders:");
    }

    @Test
    void createWritesTheNextNumberedFile() throws Exception {
        Cli.Run run = cli.run("migrate", "create", "Add user names", "--module", "users");
        assertThat(run.exitCode()).as(run.all()).isZero();
        Path created = dir.resolve("users/003_add_user_names.sql");
        assertThat(created).exists();
        assertThat(run.out()).contains("users/003_add_user_names.sql");
        assertThat(cli.run("migrate", "create", "x", "--module", "orders").exitCode())
                .isZero();
        assertThat(dir.resolve("orders/002_x.sql")).exists();

        assertThat(cli.run("migrate", "create", "bad;name", "--module", "users").exitCode())
                .isEqualTo(ExitCodes.USAGE);
        Cli.Run ambiguous = cli.run("migrate", "create", "x");
        assertThat(ambiguous.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(ambiguous.err()).contains("--module");
        // an empty new file is a valid (no-op) migration: apply takes it
        assertThat(cli.run("migrate", "apply").exitCode()).isZero();
    }

    @Test
    void dbCommandsCreateInspectAndDropWithConfirmation() {
        String url = database.url();
        String target = url.substring(0, url.lastIndexOf('/') + 1) + "cli_" + Long.toHexString(System.nanoTime());
        String name = target.substring(target.lastIndexOf('/') + 1);
        Cli other = new Cli(dir).env("DATABASE_URL", target);
        Path elsewhere = dir.resolve("no-config");
        Cli bare = new Cli(elsewhere).env("DATABASE_URL", target);
        try {
            Cli.Run created = bare.run("db", "create");
            assertThat(created.exitCode()).as(created.all()).isZero();
            assertThat(created.out()).contains("Created database " + name);
            assertThat(bare.run("db", "create").out()).contains("already exists");

            Cli.Run connected = bare.run("db", "test-connection");
            assertThat(connected.exitCode()).isZero();
            assertThat(connected.out()).contains("✓ Connected to").contains("PostgreSQL");

            Cli.Run info = bare.run("db", "info");
            assertThat(info.exitCode()).as(info.all()).isZero();
            assertThat(info.out())
                    .contains("Database:    " + name)
                    .contains("Modules:")
                    .contains("default (schema public): Migrations of module 'default': directory")
                    .contains("does not exist");

            Cli.Run refused = bare.run("db", "drop");
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.NOT_CONFIRMED);
            assertThat(refused.err()).contains("--yes");
            Cli.Run declined = bare.answering("nope\n").run("db", "drop");
            assertThat(declined.exitCode()).isEqualTo(ExitCodes.NOT_CONFIRMED);
            assertThat(bare.run("db", "create").out()).contains("already exists");

            Cli.Run dropped = new Cli(elsewhere)
                    .env("DATABASE_URL", target)
                    .answering(name + "\n")
                    .run("db", "drop");
            assertThat(dropped.exitCode()).as(dropped.all()).isZero();
            assertThat(dropped.out()).contains("Type '" + name + "' to confirm").contains("Dropped database " + name);
        } finally {
            other.run("db", "drop", "--yes");
        }
    }

    @Test
    void resetDropsCreatesAndMigrates() throws Exception {
        String url = database.url();
        String target = url.substring(0, url.lastIndexOf('/') + 1) + "cli_" + Long.toHexString(System.nanoTime());
        Cli project = new Cli(dir).env("TEST_DB_URL", target);
        try {
            Cli.Run reset = project.run("db", "reset", "--yes");
            assertThat(reset.exitCode()).as(reset.all()).isZero();
            assertThat(reset.out())
                    .contains("Created database")
                    .contains("✓ users: 2 migration(s) applied")
                    .contains("✓ orders: 1 migration(s) applied");
            assertThat(project.run("migrate", "status").out()).contains("2 applied, 0 pending");
        } finally {
            project.run("db", "drop", "--yes", "--force");
        }
    }

    @Test
    void schemaCommands() {
        cli.run("migrate", "apply");
        Cli.Run list = cli.run("schema", "list");
        assertThat(list.exitCode()).as(list.all()).isZero();
        assertThat(list.out())
                .containsPattern("users\\s+2 table\\(s\\).*migrations: users_schema_history")
                .contains("public");
        assertThat(cli.run("schema", "create", "tenant_1").out()).contains("✓ Schema tenant_1 exists");
        assertThat(cli.run("schema", "create", "bad name;").exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(cli.run("schema", "drop", "tenant_1").exitCode()).isEqualTo(ExitCodes.NOT_CONFIRMED);
        assertThat(db().fetchValue(
                                Boolean.class, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'tenant_1')"))
                .isTrue();
        assertThat(cli.run("schema", "drop", "tenant_1", "--yes").out()).contains("Dropped schema tenant_1");
        assertThat(db().fetchValue(
                                Boolean.class, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'tenant_1')"))
                .isFalse();
        assertThat(cli.run("schema", "drop", "public", "--yes").exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
    }

    @Test
    void connectionFailuresExitFourAndNeverShowThePassword() throws Exception {
        write("pgdbm.toml", """
                [environments.dev]
                url = "postgresql://app:hunter2-secret@127.0.0.1:1/nowhere?connect_timeout=2"
                """);
        Cli.Run run = new Cli(dir).run("db", "test-connection");
        assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCodes.CONNECTION);
        assertThat(run.err()).contains("127.0.0.1:1");
        assertThat(run.all()).doesNotContain("hunter2");
        Cli.Run verbose = new Cli(dir).run("db", "info", "--verbose");
        assertThat(verbose.exitCode()).isEqualTo(ExitCodes.CONNECTION);
        assertThat(verbose.all()).doesNotContain("hunter2");
    }

    @Test
    void configurationAndUsageErrorsHaveTheirOwnExitCodes() throws Exception {
        assertThat(cli.run("migrate", "apply", "--env", "qa").exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(cli.run("migrate", "apply", "--bogus").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("migrate").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("--config", "missing.toml", "migrate", "status").err())
                .contains("missing.toml does not exist");
        write("pgdbm.toml", "[environments.dev]\nurl = \"${NOT_SET_ANYWHERE}\"\n");
        Cli.Run unset = new Cli(dir).run("db", "info");
        assertThat(unset.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(unset.err()).contains("NOT_SET_ANYWHERE is not set");
        Cli.Run version = cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("pgdbm 0.");
    }

    @Test
    void withoutAConfigFileDatabaseUrlAndTheMigrationsDirectoryAreUsed() throws Exception {
        Path plain = dir.resolve("plain");
        Files.createDirectories(plain.resolve("migrations"));
        Files.writeString(plain.resolve("migrations/001_notes.sql"), "CREATE TABLE {{tables.notes}} (id int);");
        Cli.Run run = new Cli(plain).env("DATABASE_URL", database.url()).run("migrate", "apply");
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("✓ default: 001_notes.sql");
        assertThat(table("public", "notes")).isTrue();
        assertThat(table("public", "default_schema_history")).isTrue();
    }

    @Test
    void sharedPoolSizesAreUsedWhenSeveralModulesRun() throws Exception {
        Files.writeString(dir.resolve("pgdbm.toml"), Files.readString(dir.resolve("pgdbm.toml")) + """

                [shared_pool]
                min_connections = 1
                max_connections = 3
                modules = ["users", "orders"]
                """);
        Cli.Run run = cli.run("migrate", "apply");
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(table("orders", "orders")).isTrue();
    }

    @Test
    void generateConfigWritesAFileTheLoaderAccepts() throws Exception {
        Path fresh = dir.resolve("fresh");
        Files.createDirectories(fresh);
        Cli.Run run = new Cli(fresh).run("generate", "config");
        assertThat(run.exitCode()).as(run.all()).isZero();
        ProjectConfig config = ConfigLoader.load(fresh.resolve("pgdbm.toml"), java.util.Map.of());
        assertThat(config.environments()).containsKeys("dev", "test", "prod");
        assertThat(config.environments().get("prod").unresolved()).isPresent(); // ${DATABASE_URL} unset here
        assertThat(Workspace.resolve(config, null, java.util.Map.of())
                        .database()
                        .database())
                .contains("fresh_dev");
        assertThat(new Cli(fresh).run("generate", "config").exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(new Cli(fresh).run("generate", "config", "--force").exitCode())
                .isZero();
    }

    @Test
    void generateLibraryScaffoldsADualModeModule() {
        Cli.Run run = cli.run("generate", "library", "inventory", "--with-api");
        assertThat(run.exitCode()).as(run.all()).isZero();
        Path lib = dir.resolve("inventory");
        assertThat(lib.resolve("pom.xml"))
                .content()
                .contains("<module>inventory</module>")
                .contains("pgdbm-codegen-maven-plugin")
                .contains("<packageName>com.example.inventory.db</packageName>");
        assertThat(lib.resolve("src/main/resources/db/inventory/001_initial.sql"))
                .content()
                .contains("{{tables.items}}");
        assertThat(lib.resolve("src/main/java/com/example/inventory/Inventory.java"))
                .content()
                .contains("public Inventory(String databaseUrl)")
                .contains("public Inventory(DatabaseManager db)")
                .contains("MigrationManager.of(this.db, InventoryModule.INSTANCE).applyPending()");
        assertThat(lib.resolve("src/test/java/com/example/inventory/InventoryTest.java"))
                .content()
                .contains("@DualModeTest");
        assertThat(lib.resolve("src/main/java/com/example/inventory/InventoryApi.java"))
                .exists();
        assertThat(cli.run("generate", "library", "inventory").exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(cli.run("generate", "library", "Bad-Name").exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
    }

    @Test
    void codegenGeneratesClassesForEachModule() {
        String serverUrl = database.url();
        Cli.Run run = cli.run("codegen", "--package", "com.example.db", "--url", serverUrl);
        assertThat(run.exitCode()).as(run.all()).isZero();
        Path out = dir.resolve("target/generated-sources/pgdbm");
        assertThat(out.resolve("com/example/db/users/UsersModule.java")).exists();
        assertThat(out.resolve("com/example/db/orders/OrdersModule.java")).exists();
        assertThat(out.resolve("com/example/db/users/tables/Users.java")).exists();
        Cli.Run again = cli.run("codegen", "--package", "com.example.db", "--url", serverUrl, "-m", "users");
        assertThat(again.exitCode()).isZero();
        assertThat(List.of(again.out())).anySatisfy(o -> assertThat(o).contains("up to date"));
    }
}
