package io.pgdbm.testing;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.postgres.PostgresServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An isolated database handed out by {@link TestDatabaseFactory}, with a ready pool. Closing it gives it back:
 * a database whose test changed only data is reset to its template's state and handed out again, any other
 * is dropped in the background. Either way the next test sees exactly the template. Thread-safe.
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
    /** The database's own pool: open while the database is handed out and reset, across tests. */
    private final SharedPool ownPool;
    /** This test's lease of it: closed with this handle, so that what the test kept stops working. */
    private final SharedPool pool;

    private final Consumer<TestDatabase> release;
    /** The template it is a clone of (the factory's key); null when it is not reused. */
    final String templateKey;

    private final AtomicBoolean closed = new AtomicBoolean();

    /** The application name of a test database's own pool, so that a reset can tell its sessions apart. */
    static final String POOL_APPLICATION_NAME = "pgdbm-test-pool";

    TestDatabase(
            PostgresServer server,
            String name,
            String defaultSchema,
            String templateKey,
            Consumer<TestDatabase> release) {
        this(server, name, defaultSchema, templateKey, release, null);
    }

    private TestDatabase(
            PostgresServer server,
            String name,
            String defaultSchema,
            String templateKey,
            Consumer<TestDatabase> release,
            SharedPool ownPool) {
        this.server = server;
        this.name = name;
        this.defaultSchema = defaultSchema;
        this.templateKey = templateKey;
        this.release = release;
        this.ownPool = ownPool != null
                ? ownPool
                : SharedPool.create(
                        config().applicationName(POOL_APPLICATION_NAME).build());
        this.pool = this.ownPool.lease();
    }

    /**
     * The same database, reset, for the next test: a new handle with a new lease of the same pool, so that
     * the last test's handle, pool and managers stay closed (code it left running fails instead of writing
     * into this test) while the connections stay open.
     */
    TestDatabase again() {
        return new TestDatabase(server, name, defaultSchema, templateKey, release, ownPool);
    }

    /** As {@link #again()}, with a new pool of its own (the old one was closed). */
    TestDatabase reopened() {
        return new TestDatabase(server, name, defaultSchema, templateKey, release, null);
    }

    /** The pool that outlives the tests' leases. */
    SharedPool ownPool() {
        return ownPool;
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

    /** The database's shared pool (this test's lease of it); closed with the database. */
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

    /**
     * Gives the database back (tests do not wait): reset and reused when only data changed, else its pool
     * closed and the database dropped in the background.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pool.close();
            release.accept(this);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + " on " + server.describe() + "]";
    }
}
