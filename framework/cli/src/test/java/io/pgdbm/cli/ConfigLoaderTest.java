package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    /** The shape of the Python pgdbm's documented pgdbm.toml, unchanged. */
    static final String PYTHON_PGDBM_TOML = """
            [project]
            name = "my_platform"
            default_env = "dev"

            [database]
            migrations_table = "schema_migrations"

            [environments.dev]
            url = "postgresql://localhost/platform_dev"
            schema = "public"

            [environments.prod]
            host = "db.internal"
            port = 6432
            database = "platform"
            user = "app"
            password = "${DB_PASSWORD}"
            ssl_enabled = true
            ssl_ca_file = "certs/root.crt"

            # Module configuration
            [modules.my_service]
            migrations_path = "src/my_service/migrations"
            schema = "my_service"
            mode = "dual"  # standalone | library | dual
            depends_on = []

            [modules.extended_service]
            migrations_path = "src/extended_service/migrations"
            schema = "extended_service"
            depends_on = ["my_service"]  # Migration dependencies
            mode = "library"  # Always needs parent app

            # Shared pool configuration (for integrated mode)
            [shared_pool]
            min_connections = 50
            max_connections = 100
            modules = ["my_service", "extended_service"]
            """;

    private ProjectConfig load(String toml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("pgdbm.toml");
        Files.writeString(file, toml);
        return ConfigLoader.load(file, env);
    }

    private CliException failure(String toml, Map<String, String> env) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> load(toml, env));
        assertThat(thrown).isInstanceOf(CliException.class);
        return (CliException) thrown;
    }

    @Test
    void anEnvironmentBehindAPoolerNamesItsDirectMigrationUrl() throws Exception {
        ProjectConfig config = load("""
                [environments.prod]
                url = "postgresql://app:${DB_PASSWORD}@pgbouncer:6432/platform"
                migration_url = "postgresql://db-primary:5432/platform"
                transaction_pooling = true
                """, Map.of("DB_PASSWORD", "s3cret"));
        io.pgdbm.DatabaseConfig database =
                Workspace.resolve(config, "prod", Map.of()).database();
        assertThat(database.transactionPooling()).isTrue();
        assertThat(database.migrationConfig().orElseThrow().hostsDescription()).isEqualTo("db-primary:5432");
        assertThat(database.migrationConfig().orElseThrow().password()).contains("s3cret");
        assertThat(database.toString()).doesNotContain("s3cret");
        assertThat(failure("""
                                [environments.prod]
                                url = "postgresql://pgbouncer:6432/platform"
                                transaction_pooling = "yes please"
                                """, Map.of()).getMessage()).contains("transaction_pooling");
    }

    @Test
    void readsThePythonPgdbmFormatUnchanged() throws Exception {
        Files.createDirectories(dir.resolve("certs"));
        Files.writeString(dir.resolve("certs/root.crt"), "not checked until a connection is made");
        ProjectConfig config = load(PYTHON_PGDBM_TOML, Map.of("DB_PASSWORD", "s3cret"));
        assertThat(config.projectName()).contains("my_platform");
        assertThat(config.defaultEnv()).contains("dev");
        assertThat(config.migrationsTable()).contains("schema_migrations");
        assertThat(config.environments()).containsOnlyKeys("dev", "prod");
        ProjectConfig.Environment prod = config.environments().get("prod");
        assertThat(prod.host()).contains("db.internal");
        assertThat(prod.port()).contains(6432);
        assertThat(prod.password()).contains("s3cret");
        assertThat(prod.sslEnabled()).isTrue();
        assertThat(config.modules()).containsOnlyKeys("my_service", "extended_service");
        assertThat(config.modules().get("extended_service").dependsOn()).containsExactly("my_service");
        assertThat(config.modules().get("extended_service").mode()).isEqualTo(ProjectConfig.Mode.LIBRARY);
        assertThat(config.sharedPool()).hasValueSatisfying(pool -> {
            assertThat(pool.minConnections()).isEqualTo(50);
            assertThat(pool.maxConnections()).isEqualTo(100);
        });

        Workspace workspace = Workspace.resolve(config, "prod", Map.of("DB_PASSWORD", "s3cret"));
        assertThat(workspace.database().port()).isEqualTo(6432);
        assertThat(workspace.database().sslMode()).isEqualTo(io.pgdbm.SslMode.VERIFY_FULL);
        assertThat(workspace.database().sslRootCert()).contains(dir.resolve("certs/root.crt"));
        assertThat(workspace.sharedDatabase().maxConnections()).isEqualTo(100);
        assertThat(workspace.modules(List.of(), false))
                .extracting(ProjectConfig.Module::name)
                .containsExactly("my_service", "extended_service");
        assertThat(workspace.schemaOf(config.modules().get("my_service"))).isEqualTo("my_service");
    }

    @Test
    void variablesAreExpandedInEveryStringWithDefaults() throws Exception {
        ProjectConfig config = load("""
                [environments.dev]
                url = "postgresql://${PGUSER_X:-app}@${HOST}:5432/${DB:-fallback}"
                schema = "${SCHEMA:-}"
                [modules.users]
                migrations_path = "${ROOT:-db}/users"
                """, Map.of("HOST", "db.example", "DB", ""));
        assertThat(config.environments().get("dev").url()).contains("postgresql://app@db.example:5432/fallback");
        assertThat(config.environments().get("dev").schema()).contains("");
        assertThat(config.modules().get("users").migrationsPath()).isEqualTo("db/users");
    }

    @Test
    void anUnsetVariableFailsOnlyWhenItsEnvironmentIsUsed() throws Exception {
        ProjectConfig config = load("""
                [environments.dev]
                url = "postgresql://localhost/dev"
                [environments.prod]
                url = "${PROD_URL}"
                """, Map.of());
        assertThat(Workspace.resolve(config, "dev", Map.of()).database().database())
                .contains("dev");
        assertThatThrownBy(() -> Workspace.resolve(config, "prod", Map.of()))
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
                .hasMessageContaining("pgdbm.toml:4")
                .hasMessageContaining("environments.prod.url")
                .hasMessageContaining("PROD_URL is not set");
    }

    @Test
    void unknownKeysAreReportedWithFileLineAndKey() {
        CliException e = failure("""
                [project]
                name = "x"

                [environments.dev]
                url = "postgresql://localhost/dev"
                hots = "typo"
                """, Map.of());
        assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(e.getMessage())
                .startsWith("pgdbm.toml:6: environments.dev.hots: unknown key 'hots'")
                .contains("host");
        assertThat(failure("[projects]\nname = \"x\"\n", Map.of()).getMessage())
                .startsWith("pgdbm.toml:1: projects: unknown key");
    }

    @Test
    void wrongTypesAreReportedWithFileLineAndKey() {
        assertThat(failure("[environments.dev]\nport = \"abc\"\n", Map.of()).getMessage())
                .isEqualTo("pgdbm.toml:2: environments.dev.port: must be an integer, not 'abc'");
        assertThat(failure("[modules.a]\nmigrations_path = \"m\"\ndepends_on = \"b\"\n", Map.of())
                        .getMessage())
                .startsWith("pgdbm.toml:3: modules.a.depends_on: must be a list of strings");
        assertThat(failure("[modules.a]\nmigrations_path = 42\n", Map.of()).getMessage())
                .isEqualTo("pgdbm.toml:2: modules.a.migrations_path: must be a string, not a number (42)");
        assertThat(failure("[modules.a]\nmigrations_path = \"m\"\nmode = \"shared\"\n", Map.of())
                        .getMessage())
                .contains("mode must be standalone, library or dual");
        assertThat(failure("[modules.a]\nschema = \"a\"\n", Map.of()).getMessage())
                .contains("module 'a' needs migrations_path");
        assertThat(failure("[shared_pool]\nmin_connections = 20\nmax_connections = 5\n", Map.of())
                        .getMessage())
                .contains("min_connections <= max_connections");
        assertThat(failure("[environments.dev]\nurl = \"a\"\nconnection_string = \"b\"\n", Map.of())
                        .getMessage())
                .contains("not both");
    }

    @Test
    void brokenTomlIsReportedWithLineAndColumn() {
        CliException e = failure("[project]\nname = \"unterminated\n", Map.of());
        assertThat(e.getMessage()).contains("Invalid TOML").contains("pgdbm.toml:2:");
        assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
    }

    @Test
    void dependencyProblemsAreConfigurationErrors() throws Exception {
        ProjectConfig cycle = load("""
                [environments.dev]
                url = "postgresql://localhost/dev"
                [modules.a]
                migrations_path = "a"
                depends_on = ["b"]
                [modules.b]
                migrations_path = "b"
                depends_on = ["a"]
                """, Map.of());
        assertThatThrownBy(() -> Workspace.resolve(cycle, null, Map.of()))
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
                .hasMessageContaining("a");
        ProjectConfig unknown = load("""
                [environments.dev]
                url = "postgresql://localhost/dev"
                [modules.a]
                migrations_path = "a"
                depends_on = ["nope"]
                """, Map.of());
        assertThatThrownBy(() -> Workspace.resolve(unknown, null, Map.of()))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("nope");
        assertThat(failure("""
                [modules.a]
                migrations_path = "a"
                [shared_pool]
                modules = ["a", "ghost"]
                """, Map.of()).getMessage()).contains("unknown module 'ghost'");
    }

    @Test
    void environmentChoiceFollowsOptionThenVariableThenDefault() throws Exception {
        ProjectConfig config = load("""
                [project]
                default_env = "staging"
                [environments.dev]
                url = "postgresql://localhost/dev_db"
                [environments.staging]
                url = "postgresql://localhost/staging_db"
                """, Map.of());
        assertThat(Workspace.resolve(config, null, Map.of()).database().database())
                .contains("staging_db");
        assertThat(Workspace.resolve(config, null, Map.of("PGDBM_ENV", "dev"))
                        .database()
                        .database())
                .contains("dev_db");
        assertThat(Workspace.resolve(config, "dev", Map.of("PGDBM_ENV", "staging"))
                        .database()
                        .database())
                .contains("dev_db");
        assertThatThrownBy(() -> Workspace.resolve(config, "qa", Map.of()))
                .hasMessageContaining("No environment 'qa'")
                .hasMessageContaining("dev, staging");
    }

    @Test
    void withoutAFileDatabaseUrlAndMigrationsDirectoryAreUsed() {
        ProjectConfig none = ConfigLoader.none(dir);
        Workspace workspace = Workspace.resolve(none, null, Map.of("DATABASE_URL", "postgresql://u:pw@h:5433/app"));
        assertThat(workspace.database().port()).isEqualTo(5433);
        assertThat(workspace.modules(List.of(), false))
                .singleElement()
                .satisfies(m -> assertThat(workspace.directoryOf(m)).contains(dir.resolve("migrations")));
        assertThatThrownBy(() -> Workspace.resolve(none, null, Map.of()))
                .hasMessageContaining("No database configured")
                .hasMessageContaining("DATABASE_URL");
    }
}
