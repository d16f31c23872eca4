package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.Secret;
import io.pgdbm.SharedPool;
import io.pgdbm.cli.Pgdbm;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.monitoring.QueryMonitor;
import io.pgdbm.postgres.EmbeddedServer;
import io.pgdbm.postgres.PostgresServers;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A server that checks passwords (SCRAM), and every error path the suite can reach with them: wrong
 * password, missing database, failing statements with the password as an argument or in the SQL, failing
 * migrations, monitors, {@code toString}, DEBUG logging and the CLI. Nothing anywhere may show the password.
 */
class SecretsTest {
    static final String PASSWORD = "S3cr3t-Pa55word-7f2c";
    static final String WRONG_PASSWORD = "Wr0ng-Pa55word-91ab";
    static final String OTHER_SECRET = "api-token-5d1e8c0b";

    @TempDir
    static Path dir;

    private static EmbeddedServer server;
    private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private static final List<String> texts = new ArrayList<>();
    private static int cases;

    @BeforeAll
    static void start() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.TRACE);
        server = PostgresServers.embedded().start();
        Path hba = server.dataDirectory().resolve("pg_hba.conf");
        Files.writeString(
                hba,
                "host all secretive 127.0.0.1/32 scram-sha-256\nhost all secretive ::1/128 scram-sha-256\n"
                        + Files.readString(hba));
        try (SharedPool admin = SharedPool.create(
                DatabaseConfig.builder().url(server.url("postgres")).build())) {
            admin.manager().execute("CREATE ROLE secretive LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
            admin.manager().fetchValue(Boolean.class, "SELECT pg_reload_conf()");
        }
    }

    @AfterAll
    static void stop() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(logs);
        root.setLevel(Level.INFO);
        for (ILoggingEvent event : logs.list) {
            StringBuilder text = new StringBuilder(event.getFormattedMessage());
            for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(' ').append(t.getMessage());
            }
            assertNoSecret("log " + event.getLoggerName(), text.toString());
        }
        LoggerFactory.getLogger(SecretsTest.class)
                .info("Secrets: {} error paths and {} log events scanned, no password found", cases, logs.list.size());
        server.close();
    }

    private static DatabaseConfig.Builder config(String password) {
        return DatabaseConfig.builder()
                .host("127.0.0.1")
                .port(server.port())
                .database("postgres")
                .user("secretive")
                .password(password)
                .startupRetries(0, java.time.Duration.ofMillis(10))
                .maxConnections(2);
    }

    static void assertNoSecret(String where, String text) {
        assertThat(text)
                .as(where)
                .doesNotContain(PASSWORD)
                .doesNotContain(WRONG_PASSWORD)
                .doesNotContain(OTHER_SECRET);
    }

    /** The message, toString and full stack trace text of a failure (causes included). */
    private static void scan(String where, Throwable failure) {
        assertThat(failure).as(where + " failed").isNotNull();
        cases++;
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertNoSecret(where, trace.toString());
        assertNoSecret(where, String.valueOf(failure));
    }

    @Test
    void aWrongPasswordFailsWithoutShowingIt() {
        scan(
                "wrong password",
                catchThrowable(() -> SharedPool.create(config(WRONG_PASSWORD).build())));
        scan(
                "wrong password in a URL",
                catchThrowable(() -> SharedPool.create(DatabaseConfig.builder()
                        .url("postgresql://secretive:" + WRONG_PASSWORD + "@127.0.0.1:" + server.port() + "/postgres")
                        .startupRetries(0, java.time.Duration.ofMillis(10))
                        .build())));
        scan(
                "missing database",
                catchThrowable(() ->
                        SharedPool.create(config(PASSWORD).database("nope").build())));
        scan(
                "refused connection",
                catchThrowable(() -> SharedPool.create(config(PASSWORD).port(1).build())));
        scan(
                "bad URL",
                catchThrowable(() -> DatabaseConfig.builder()
                        .url("postgresql://secretive:" + PASSWORD + "@127.0.0.1:notaport/postgres")
                        .build()));
    }

    @Test
    void failingStatementsDoNotEchoThePasswordOrSecrets() throws Exception {
        try (SharedPool pool = SharedPool.create(config(PASSWORD).build())) {
            DatabaseManager db = pool.manager()
                    .withMonitor(QueryMonitor.builder().recordParameters(true).build());
            scan("password as an argument", catchThrowable(() -> db.execute("SELECT $1::int", PASSWORD)));
            scan("secret as an argument", catchThrowable(() -> db.execute("SELECT $1::int", Secret.of(OTHER_SECRET))));
            scan(
                    "password in the SQL",
                    catchThrowable(() -> db.execute("ALTER ROLE nobody PASSWORD '" + PASSWORD + "'")));
            scan(
                    "password in a batch",
                    catchThrowable(() -> db.executeMany("SELECT $1::int", List.of(List.of("1"), List.of(PASSWORD)))));
            scan(
                    "password in COPY",
                    catchThrowable(() -> db.copyRecords("missing_table", List.of("a"), List.of(List.of(PASSWORD)))));
            scan(
                    "password in a transaction",
                    catchThrowable(
                            () -> db.transaction(tx -> tx.fetchValue(Integer.class, "SELECT $1::int", PASSWORD))));
            db.monitor().orElseThrow().history().forEach(event -> {
                assertNoSecret("monitor event", event.toString());
            });
            assertThat(db.monitor().orElseThrow().history()).isNotEmpty();

            Path migrations = Files.createDirectories(dir.resolve("migrations"));
            Files.writeString(migrations.resolve("001_role.sql"), "ALTER ROLE nobody PASSWORD '" + PASSWORD + "';");
            scan(
                    "password in a failing migration",
                    catchThrowable(() -> MigrationManager.of(pool.manager("secrets"), migrations, "secrets")
                            .applyPending()));

            for (Object object :
                    List.of(pool, db, pool.stats(), config(PASSWORD).build())) {
                cases++;
                assertNoSecret("toString of " + object.getClass().getSimpleName(), object.toString());
            }
            assertNoSecret("describe", config(PASSWORD).build().describe());
        }
    }

    @Test
    void theCommandLineNeverPrintsThePassword() throws Exception {
        Path project = Files.createDirectories(dir.resolve("cli"));
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/001_role.sql"), "ALTER ROLE nobody PASSWORD '" + PASSWORD + "';");
        Files.writeString(project.resolve("pgdbm.toml"), """
                [environments.dev]
                host = "127.0.0.1"
                port = %d
                database = "postgres"
                user = "secretive"
                password = "${DB_PASSWORD}"

                [environments.wrong]
                url = "postgresql://secretive:%s@127.0.0.1:%d/postgres"

                [modules.app]
                migrations_path = "migrations"
                schema = "app"
                """.formatted(server.port(), WRONG_PASSWORD, server.port()));
        List<String[]> commands = List.of(
                new String[] {"db", "info"},
                new String[] {"db", "test-connection"},
                new String[] {"migrate", "apply"},
                new String[] {"migrate", "apply", "--verbose"},
                new String[] {"migrate", "status", "--json"},
                new String[] {"--env", "wrong", "db", "info"},
                new String[] {"--env", "wrong", "db", "test-connection", "--verbose"});
        for (String[] command : commands) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            var line = Pgdbm.commandLine(new Pgdbm(
                    Map.of("DB_PASSWORD", PASSWORD), new BufferedReader(new StringReader("")), false, project));
            line.setOut(new PrintWriter(out, true));
            line.setErr(new PrintWriter(err, true));
            line.execute(command);
            cases++;
            assertNoSecret("pgdbm " + String.join(" ", command), out + "\n" + err);
        }
    }
}
