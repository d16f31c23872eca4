package io.pgdbm.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.pgdbm.ConfigurationException;
import io.pgdbm.ConnectionException;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.SslMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a {@link DatabaseConfig} into a started HikariCP pool, retrying while the server starts up. */
public final class PoolFactory {
    private static final Logger LOG = LoggerFactory.getLogger("io.pgdbm.SharedPool");
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(10);

    private PoolFactory() {}

    /** A pool name that says which database it serves: {@code pgdbm-app-1}. */
    public static String poolName(DatabaseConfig config) {
        return "pgdbm-" + config.database().orElse(config.user().orElse("default")) + "-"
                + POOL_NUMBER.incrementAndGet();
    }

    /** The pgJDBC connection properties for {@code config}: credentials, TLS, timeouts, start-up options. */
    public static Properties driverProperties(DatabaseConfig config) {
        Properties props = new Properties();
        config.user().ifPresent(user -> props.setProperty("user", user));
        config.password().ifPresent(password -> props.setProperty("password", password));
        props.setProperty("ApplicationName", config.applicationName());
        if (config.transactionPooling()) {
            // A transaction-mode pooler refuses the options start-up parameter, and keeps no named statement
            // across transactions unless it says so (PgBouncer 1.21+ max_prepared_statements).
            props.setProperty("prepareThreshold", "0");
        } else {
            props.setProperty("options", ConnectionStrings.formatOptions(config.sessionSettings()));
        }
        props.setProperty(
                "connectTimeout",
                Long.toString(Math.max(1, config.connectTimeout().toSeconds())));
        props.setProperty(
                "loginTimeout",
                Long.toString(Math.max(1, config.connectTimeout().toSeconds())));
        props.setProperty("tcpKeepAlive", "true");
        // Servers older than 10 are long out of support; saying so lets pgJDBC send application_name in the
        // start-up packet (not as a SET afterwards), so a session reset (RESET ALL) keeps it.
        props.setProperty("assumeMinServerVersion", "10");
        // Strings bind untyped, as asyncpg's do: the server infers jsonb, uuid, enum and date parameters.
        props.setProperty("stringtype", "unspecified");
        // libpq: "require" with a root certificate given verifies the CA (as verify-ca). pgJDBC would not.
        SslMode mode =
                config.sslMode() == SslMode.REQUIRE && config.sslRootCert().isPresent()
                        ? SslMode.VERIFY_CA
                        : config.sslMode();
        props.setProperty("sslmode", mode.libpqName());
        config.sslRootCert().ifPresent(path -> props.setProperty("sslrootcert", path.toString()));
        config.sslCert().ifPresent(path -> props.setProperty("sslcert", path.toString()));
        config.sslKey().ifPresent(path -> props.setProperty("sslkey", path.toString()));
        config.sslPassword().ifPresent(password -> props.setProperty("sslpassword", password));
        config.targetServerType().ifPresent(type -> props.setProperty("targetServerType", type));
        for (Map.Entry<String, String> property : config.driverProperties().entrySet()) {
            props.setProperty(property.getKey(), property.getValue());
        }
        return props;
    }

    /**
     * Starts a pool, trying {@code 1 + startupRetries} times while the server refuses connections or
     * is starting up. Authentication errors and missing databases fail at once.
     */
    public static HikariDataSource start(DatabaseConfig config, String poolName) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(poolName);
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setDataSourceProperties(driverProperties(config));
        hikari.setMinimumIdle(config.minConnections());
        hikari.setMaximumPoolSize(config.maxConnections());
        hikari.setConnectionTimeout(config.acquireTimeout().toMillis());
        hikari.setValidationTimeout(
                Math.min(5_000, Math.max(250, config.acquireTimeout().toMillis() / 2)));
        hikari.setMaxLifetime(config.maxLifetime().toMillis());
        hikari.setIdleTimeout(config.idleTimeout().toMillis());
        hikari.setAutoCommit(true);
        if (config.transactionPooling()) {
            LOG.info(
                    "Pool {} goes through a transaction-mode pooler: statement_timeout, lock_timeout,"
                            + " idle_in_transaction_session_timeout and jit are the server's (set them with ALTER ROLE"
                            + " or ALTER DATABASE), and statements that change the server session are refused",
                    poolName);
        }
        if (!config.initSql().isEmpty()) {
            hikari.setConnectionInitSql(String.join(";\n", config.initSql()));
        }
        // One attempt per loop iteration below; the loop owns retries, backoff and the messages.
        hikari.setInitializationFailTimeout(1);

        Duration delay = config.startupRetryDelay();
        int attempts = config.startupRetries() + 1;
        for (int attempt = 1; ; attempt++) {
            try {
                return new HikariDataSource(hikari);
            } catch (HikariPool.PoolInitializationException e) {
                SQLException cause = findSqlException(e);
                String reason = describeCause(e, config);
                if (attempt >= attempts || !isRetryable(cause)) {
                    throw new ConnectionException(
                            "Could not connect to PostgreSQL at " + config.describe()
                                    + (attempt > 1 ? " after " + attempt + " attempts" : "") + ": " + reason
                                    + advice(cause, config),
                            e);
                }
                LOG.warn(
                        "PostgreSQL at {} is not accepting connections yet (attempt {} of {}: {}); retrying in {} ms",
                        config.hostsDescription(),
                        attempt,
                        attempts,
                        reason,
                        delay.toMillis());
                sleep(delay);
                delay = delay.multipliedBy(2);
                if (delay.compareTo(MAX_RETRY_DELAY) > 0) {
                    delay = MAX_RETRY_DELAY;
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(
                        "The connection pool rejected the configuration: " + Masking.scrub(e.getMessage(), config), e);
            }
        }
    }

    /**
     * Opens the pool's {@code minConnections} connections before the pool is handed out (as asyncpg's
     * {@code create_pool} does), and learns the server's built-in functions on one of them.
     *
     * @throws ConnectionException when fewer than {@code minConnections} connections open within the
     *     acquire timeout; the message says how many did and why the next one did not
     */
    public static SessionGuard warmUp(HikariDataSource pool, DatabaseConfig config) {
        int wanted = Math.max(1, config.minConnections());
        List<Connection> opened = new ArrayList<>(wanted);
        try {
            while (opened.size() < wanted) {
                try {
                    opened.add(pool.getConnection());
                } catch (SQLException e) {
                    throw new ConnectionException(
                            "Pool " + pool.getPoolName() + " opened " + opened.size() + " of its minConnections ("
                                    + config.minConnections() + ") connections to " + config.describe() + ": "
                                    + describeCause(e, config)
                                    + ". Lower minConnections, or raise the server's max_connections.",
                            e);
                }
            }
            return SessionGuard.create(pool, opened.get(0), config.initSql(), config.transactionPooling());
        } catch (SQLException e) {
            throw new ConnectionException(
                    "Pool " + pool.getPoolName() + " could not read the server's built-in functions: "
                            + describeCause(e, config),
                    e);
        } finally {
            for (Connection connection : opened) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the pool replaces a connection that broke while warming up
                }
            }
        }
    }

    /** A started pool and its guarded data source (what {@link SessionGuard#dataSource()} hands out). */
    public record Opened(HikariDataSource pool, javax.sql.DataSource dataSource) {}

    /**
     * {@link #start} and {@link #warmUp} in one: a pool with its {@code minConnections} open, closed again when
     * warming up fails.
     */
    public static Opened open(DatabaseConfig config, String poolName) {
        HikariDataSource pool = start(config, poolName);
        try {
            return new Opened(pool, warmUp(pool, config).dataSource());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException("Interrupted while waiting for PostgreSQL to start", e);
        }
    }

    private static SQLException findSqlException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    /** Connection refused, server starting up or shutting down, too many clients: worth waiting for. */
    static boolean isRetryable(SQLException e) {
        if (e == null) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null) {
            return true;
        }
        return state.equals("08001")
                || state.equals("08006")
                || state.equals("57P03")
                || state.equals("53300")
                || state.equals("08004") && !String.valueOf(e.getMessage()).contains("SSL");
    }

    private static String describeCause(Throwable e, DatabaseConfig config) {
        SQLException sql = findSqlException(e);
        Throwable root = sql != null ? sql : e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        if (sql != null && sql.getSQLState() != null) {
            message += " (SQLState " + sql.getSQLState() + ")";
        }
        return Masking.scrub(message, config);
    }

    private static String advice(SQLException e, DatabaseConfig config) {
        String state = e == null ? null : e.getSQLState();
        String message = e == null ? "" : String.valueOf(e.getMessage());
        if (message.contains("unsupported startup parameter: options")) {
            return ". The address is a connection pooler (PgBouncer) that refuses session settings at connect time:"
                    + " when it pools transactions, set transactionPooling(true) (pgdbm.transaction-pooling,"
                    + " PGDBM_TRANSACTION_POOLING=true); else add options to its ignore_startup_parameters.";
        }
        if (message.contains("unsupported startup parameter")) {
            return ". The address is a connection pooler (PgBouncer) that refuses a start-up parameter pgJDBC sends:"
                    + " add it to the pooler's ignore_startup_parameters (PgBouncer: ignore_startup_parameters ="
                    + " extra_float_digits).";
        }
        if (state == null) {
            return ". Check host, port and network.";
        }
        return switch (state) {
            case "28P01", "28000" -> ". Check the user name and password (DATABASE_URL, PGUSER, PGPASSWORD).";
            case "3D000" ->
                ". Create the database first (CREATE DATABASE "
                        + config.database().orElse("…") + "), or fix the database name.";
            case "08001", "08006" ->
                ". Check that PostgreSQL is running and that " + config.hostsDescription() + " is the right address.";
            case "53300" -> ". The server has no free connection slots: lower maxConnections or raise max_connections.";
            default -> ".";
        };
    }
}
