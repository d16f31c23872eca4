package io.pgdbm.bench;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.postgres.PostgresServer;
import io.pgdbm.postgres.PostgresServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The server the benchmarks run on, the prepared database, and a description of both for the report. */
final class BenchEnvironment implements AutoCloseable {
    static final String DATABASE = "pgdbm_bench";

    final PostgresServer server;
    final String url;

    private BenchEnvironment(PostgresServer server) {
        this.server = server;
        this.url = server.url(DATABASE);
    }

    /** {@code PGDBM_TEST_URL}, else an embedded server; a fresh {@code pgdbm_bench} database, migrated. */
    static BenchEnvironment start() {
        String external = System.getenv("PGDBM_TEST_URL");
        PostgresServer server = external != null && !external.isBlank()
                ? PostgresServers.fromUrl(external)
                : PostgresServers.embedded().fastAndUnsafe().start();
        BenchEnvironment environment = new BenchEnvironment(server);
        environment.prepare();
        return environment;
    }

    private void prepare() {
        admin("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        admin("CREATE DATABASE " + DATABASE);
        try (SharedPool pool = SharedPool.create(DatabaseConfig.builder()
                .url(url)
                .maxConnections(2)
                .startupRetries(0, Duration.ZERO)
                .build())) {
            MigrationManager.of(pool.manager("bench"), "classpath:db/bench", "bench")
                    .applyPending();
            pool.manager().execute("VACUUM ANALYZE bench.items");
        }
    }

    void admin(String sql) {
        try (Connection connection = server.connect(server.adminDatabase());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Lines for the report: server version and the settings that matter, JDK, CPUs. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        try (Connection connection = server.connect(DATABASE);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('server_version'),"
                        + " current_setting('fsync'), current_setting('synchronous_commit'),"
                        + " current_setting('shared_buffers'), current_setting('max_connections')")) {
            rs.next();
            lines.add("PostgreSQL " + rs.getString(1) + " ("
                    + server.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + ", " + server.host() + ":" + server.port() + "): fsync=" + rs.getString(2)
                    + ", synchronous_commit="
                    + rs.getString(3) + ", shared_buffers=" + rs.getString(4) + ", max_connections=" + rs.getString(5));
        } catch (SQLException e) {
            lines.add("PostgreSQL: unknown (" + e.getMessage() + ")");
        }
        lines.add("JDK " + System.getProperty("java.vm.name") + " " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch"));
        lines.add("Pool: HikariCP, 4 connections (S1, S3, S6, S7); S4 3 connections per provisioning thread"
                + " (parallelism 1 and 4), the start-up row 2");
        return lines;
    }

    @Override
    public void close() {
        try {
            admin("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        } finally {
            server.close();
        }
    }
}
