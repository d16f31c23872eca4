package io.pgdbm.testing;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.postgres.PostgresServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An isolated database handed out by {@link TestDatabaseFactory}, with a ready pool. Closing it closes
 * the pool and drops the database in the background. Thread-safe.
 *
 * <pre>{@code
 * try (TestDatabase db = factory.create(MigrationSpec.of("classpath:db/users", "users", "users"))) {
 *     db.manager().execute("INSERT INTO {{tables.users}} (email) VALUES ($1)", "a@b.c");
 * }
 * }</pre>
 */
public final class TestDatabase implements AutoCloseable {
    private final PostgresServer server;
    private final String name;
    private final String defaultSchema;
    private final SharedPool pool;
    private final Consumer<String> dropper;
    private final AtomicBoolean closed = new AtomicBoolean();

    TestDatabase(PostgresServer server, String name, String defaultSchema, Consumer<String> dropper) {
        this.server = server;
        this.name = name;
        this.defaultSchema = defaultSchema;
        this.dropper = dropper;
        this.pool = SharedPool.create(config().build());
    }

    /** The database's name, {@code test_<hex>[_suffix]}. */
    public String name() {
        return name;
    }

    /** The server it lives on. */
    public PostgresServer server() {
        return server;
    }

    /**
     * A libpq URL for this database, with credentials: give it to code under test that opens its own pool
     * (standalone mode). Do not print it.
     */
    public String url() {
        return server.url(name);
    }

    /**
     * A configuration for this database (small pool, no start-up retries, no schema), to adjust and build
     * when a test needs a pool of its own.
     */
    public DatabaseConfig.Builder config() {
        return DatabaseConfig.builder()
                .url(url())
                .minConnections(1)
                .maxConnections(10)
                .startupRetries(0, Duration.ZERO);
    }

    /** The database's shared pool; closed with the database. */
    public SharedPool pool() {
        return pool;
    }

    /** A manager on the default schema: the first migrated module's, or the one asked for, or none. */
    public DatabaseManager manager() {
        return defaultSchema == null ? pool.manager() : pool.manager(defaultSchema);
    }

    /** A manager on {@code schema}. */
    public DatabaseManager manager(String schema) {
        return pool.manager(schema);
    }

    /** Closes the pool and drops the database (in the background; tests do not wait for it). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pool.close();
            dropper.accept(name);
        }
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + " on " + server.describe() + "]";
    }
}
