package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.Secret;
import io.pgdbm.SharedPool;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;

/**
 * Random secrets — with quotes, dollar signs, backslashes, {@code / ? @ # % :}, spaces and non-ASCII
 * letters — go where secrets go and where they fail: a {@link Secret} argument of a failing statement, of a
 * batch that fails on a duplicate key, of a COPY that fails on one (so the server echoes it), a URL password
 * (read or refused), and a {@code PASSWORD} literal in every quoting form of a failing {@code ALTER ROLE}.
 * No secret, and no piece of five or more of its characters, may appear in any message, cause, suppressed
 * exception, {@code toString()} or log event (captured at TRACE). Pieces of digits alone are left out: an
 * SQLSTATE such as {@code 23505}, a port or a position is printed whatever the secret is.
 */
class SecretsPropertyTest {
    private static TestDatabase database;
    private static SharedPool pool;
    private static DatabaseManager db;
    private static final AtomicInteger cases = new AtomicInteger();
    private static final AtomicInteger scanned = new AtomicInteger();

    @BeforeContainer
    static void open() {
        database = TestDatabaseFactory.shared().create();
        pool = database.pool();
        db = pool.manager("secret_props");
        db.ensureSchema();
        db.execute("CREATE TABLE {{tables.tokens}} (token text PRIMARY KEY, n int)");
    }

    @AfterContainer
    static void close() {
        LoggerFactory.getLogger(SecretsPropertyTest.class)
                .info("Secrets: {} random secrets through 5 paths, {} texts scanned", cases.get(), scanned.get());
        if (database != null) {
            database.close();
        }
    }

    @Provide
    Arbitrary<String> secrets() {
        // A distinctive start (no English word has it) and random characters after.
        return Arbitraries.strings()
                .withChars("QXZJ0123456789'\"$\\/?@#%:& ;é€xq")
                .ofMinLength(6)
                .ofMaxLength(24)
                .map(tail -> "ZQX" + tail);
    }

    @Property(tries = 150)
    void aSecretIsNeverShown(@ForAll("secrets") String secret) {
        cases.incrementAndGet();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        root.setLevel(Level.TRACE);
        List<String> shown = new ArrayList<>();
        try {
            db.execute("TRUNCATE {{tables.tokens}}");
            db.execute("INSERT INTO {{tables.tokens}} VALUES ($1, 1)", Secret.of(secret));
            shown.add(failure(() -> db.execute("SELECT $1::int", Secret.of(secret))));
            shown.add(failure(() -> db.executeMany(
                    "INSERT INTO {{tables.tokens}} VALUES ($1, $2)",
                    List.of(List.of(Secret.of(secret + "-b"), 2), List.of(Secret.of(secret), 3)))));
            shown.add(failure(() -> db.copyRecords(
                    "tokens",
                    List.of("token", "n"),
                    List.of(List.of(Secret.of(secret + "-c"), 4), List.of(Secret.of(secret), 5)))));
            // read, or refused: either way nothing shows it (the pool's connection failure is SecretsTest's)
            try {
                DatabaseConfig config = DatabaseConfig.builder()
                        .url("postgresql://app:" + secret + "@127.0.0.1:1/db")
                        .build();
                shown.add(config.toString());
                shown.add(config.describe());
                shown.add(config.jdbcUrl());
            } catch (RuntimeException refused) {
                shown.add(failure(() -> {
                    throw refused;
                }));
            }
            // the same secret as the password of a migration URL and of a replica URL (the pool's own is safe)
            try {
                DatabaseConfig config = DatabaseConfig.builder()
                        .url("postgresql://app:safe@127.0.0.1:1/db")
                        .migrationUrl("postgresql://migrator:" + secret + "@127.0.0.1:2/db")
                        .replicaUrl("postgresql://reader:" + secret + "@127.0.0.1:3/db")
                        .build();
                shown.add(config.toString());
                shown.add(config.describe());
                for (DatabaseConfig derived :
                        config.migrationConfig().map(List::of).orElse(List.of())) {
                    shown.add(derived.toString());
                    shown.add(derived.describe());
                    shown.add(derived.jdbcUrl());
                }
                for (DatabaseConfig replica : config.replicas()) {
                    shown.add(replica.toString());
                    shown.add(replica.describe());
                    shown.add(replica.jdbcUrl());
                }
            } catch (RuntimeException refused) {
                shown.add(failure(() -> {
                    throw refused;
                }));
            }
            // a migration URL whose server is not there: migrating fails, naming neither password nor secret
            try (SharedPool withMigrationUrl = SharedPool.create(database.config()
                    .migrationUrl("postgresql://migrator:" + secret + "@127.0.0.1:2/db")
                    .startupRetries(0, java.time.Duration.ZERO)
                    .build())) {
                java.nio.file.Path files = java.nio.file.Files.createTempDirectory("secret-mig");
                java.nio.file.Files.writeString(files.resolve("001_t.sql"), "CREATE TABLE {{tables.t}} (id int);");
                String migrating = failure(() -> io.pgdbm.migrations.MigrationManager.of(
                                withMigrationUrl.manager("secret_mig"), files, "mig")
                        .applyPending());
                assertThat(migrating).as("the migration pool's failure").contains("127.0.0.1:2");
                shown.add(migrating);
            } catch (RuntimeException | java.io.IOException refused) {
                shown.add(failure(() -> {
                    throw refused;
                }));
            }
            for (String literal : literals(secret)) {
                shown.add(failure(() -> db.execute("ALTER ROLE pgdbm_no_such_role WITH PASSWORD " + literal)));
            }
        } finally {
            root.detachAppender(events);
            root.setLevel(level);
        }
        for (ILoggingEvent event : events.list) {
            shown.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                shown.add(event.getThrowableProxy().getMessage());
            }
        }
        scanned.addAndGet(shown.size());
        for (String text : shown) {
            for (int i = 0; i + 5 <= secret.length(); i++) {
                String piece = secret.substring(i, i + 5);
                if (piece.chars().allMatch(Character::isDigit)) {
                    // five digits are also what messages are made of (SQLSTATE 23505, ports, positions)
                    continue;
                }
                assertThat(text).as("a piece of the secret %s", secret).doesNotContain(piece);
            }
        }
    }

    /** The secret written as a SQL string literal in each quoting form PostgreSQL has. */
    private static List<String> literals(String secret) {
        List<String> literals = new ArrayList<>();
        literals.add("'" + secret.replace("'", "''") + "'");
        literals.add("E'" + secret.replace("\\", "\\\\").replace("'", "\\'") + "'");
        if (!secret.contains("$$")) {
            literals.add("$$" + secret + "$$");
        }
        if (!secret.contains("$pw$")) {
            literals.add("$pw$" + secret + "$pw$");
        }
        if (!secret.contains("\\")) {
            literals.add("U&'" + secret.replace("'", "''") + "'");
        }
        return literals;
    }

    /** The text of a failure, whole: messages of the exception, its causes, next and suppressed exceptions. */
    private static String failure(ThrowingRunnable action) {
        Throwable thrown = null;
        try {
            action.run();
        } catch (Throwable t) {
            thrown = t;
        }
        assertThat(thrown).as("the action fails").isNotNull();
        StringBuilder all = new StringBuilder();
        ArrayDeque<Throwable> todo = new ArrayDeque<>();
        todo.add(thrown);
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            all.append(t).append('\n');
            if (t instanceof java.sql.SQLException sql && sql.getNextException() != null) {
                todo.add(sql.getNextException());
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(List.of(t.getSuppressed()));
        }
        return all.toString();
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
