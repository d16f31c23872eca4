package io.pgdbm;

import io.pgdbm.postgres.PostgresServer;
import io.pgdbm.postgres.PostgresServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database of its own for one test class, on the JVM's shared server (PGDBM_TEST_URL, else embedded).
 * Dropped on close, after terminating whatever is still connected.
 */
public final class TestDatabase implements AutoCloseable {
    private final PostgresServer server;
    private final String name;

    private TestDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    public static TestDatabase create() {
        PostgresServer server = PostgresServers.shared();
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        String name = "test_core_" + HexFormat.of().formatHex(random);
        admin(server, "CREATE DATABASE " + name);
        return new TestDatabase(server, name);
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
        admin(
                server,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name
                        + "' AND pid <> pg_backend_pid()");
        admin(server, "DROP DATABASE IF EXISTS " + name);
    }

    private static void admin(PostgresServer server, String sql) {
        try (Connection connection = server.connect(server.adminDatabase());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("admin SQL failed: " + sql, e);
        }
    }
}
