package io.pgdbm;

import io.pgdbm.postgres.IsolatedDatabases;
import io.pgdbm.postgres.PostgresServer;
import io.pgdbm.postgres.PostgresServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database of its own for one test class, on the JVM's shared server (PGDBM_TEST_URL, else embedded),
 * from the same engine pgdbm-testing uses. Dropped in the background on close.
 */
public final class TestDatabase implements AutoCloseable {
    private static IsolatedDatabases databases;

    private final PostgresServer server;
    private final String name;

    private TestDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    private static synchronized IsolatedDatabases databases() {
        if (databases == null) {
            databases = IsolatedDatabases.on(PostgresServers.shared());
        }
        return databases;
    }

    public static TestDatabase create() {
        IsolatedDatabases engine = databases();
        return new TestDatabase(engine.server(), engine.create("core"));
    }

    public String name() {
        return name;
    }

    public PostgresServer server() {
        return server;
    }

    /** A libpq URL with credentials; do not print it. */
    public String url() {
        return server.url(name);
    }

    /** A config builder for this database with small pools and no start-up retries (tests fail fast). */
    public DatabaseConfig.Builder config() {
        return DatabaseConfig.builder()
                .url(url())
                .minConnections(1)
                .maxConnections(4)
                .startupRetries(0, java.time.Duration.ZERO);
    }

    /** Runs SQL as the superuser in this database. */
    public void sql(String sql) {
        try (Connection connection = server.connect(name);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        databases().drop(name);
    }
}
