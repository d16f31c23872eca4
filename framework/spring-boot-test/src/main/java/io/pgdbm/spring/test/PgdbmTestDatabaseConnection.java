package io.pgdbm.spring.test;

import io.pgdbm.postgres.IsolatedDatabases;
import io.pgdbm.postgres.PostgresServer;
import io.pgdbm.postgres.PostgresServers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * The isolated database of one application context under {@link PgdbmTestDatabase}: created empty when the
 * context starts, dropped when it closes (after the pool, which depends on it).
 */
public final class PgdbmTestDatabaseConnection implements JdbcConnectionDetails, DisposableBean {
    private static final Logger LOG = LoggerFactory.getLogger(PgdbmTestDatabaseConnection.class);
    /** The name prefix of test databases, as pgdbm-testing reads it. */
    static final String PREFIX_PROPERTY = "pgdbm.test.prefix";

    private static IsolatedDatabases databases;

    private final IsolatedDatabases on;
    private final String name;

    PgdbmTestDatabaseConnection() {
        this.on = databases();
        this.name = on.create("spring");
        LOG.info(
                "Application context runs on test database {} ({})",
                name,
                on.server().describe());
    }

    private static synchronized IsolatedDatabases databases() {
        if (databases == null) {
            String prefix = System.getProperty(PREFIX_PROPERTY, IsolatedDatabases.DEFAULT_PREFIX);
            databases = IsolatedDatabases.on(PostgresServers.shared(), prefix);
        }
        return databases;
    }

    /** The database's name, {@code test_<hex>_spring}. */
    public String databaseName() {
        return name;
    }

    /** The server it lives on. */
    public PostgresServer server() {
        return on.server();
    }

    @Override
    public String getJdbcUrl() {
        return on.server().jdbcUrl(name);
    }

    @Override
    public String getUsername() {
        return on.server().user();
    }

    @Override
    public @Nullable String getPassword() {
        return on.server().password().orElse(null);
    }

    @Override
    public String getDriverClassName() {
        return "org.postgresql.Driver";
    }

    /** Drops the database; its sessions (a pool nobody closed) are ended first. */
    @Override
    public void destroy() {
        on.dropNow(name);
        LOG.debug("Dropped test database {}", name);
    }

    @Override
    public String toString() {
        return "PgdbmTestDatabaseConnection[" + name + " on " + on.server().describe() + "]";
    }
}
