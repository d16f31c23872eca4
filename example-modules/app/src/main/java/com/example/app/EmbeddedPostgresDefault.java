package com.example.app;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.SharedPool;
import io.pgdbm.postgres.EmbeddedServer;
import io.pgdbm.postgres.PostgresServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
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
    static final String SERVER_BEAN = "exampleEmbeddedPostgres";

    private final Log log;

    public EmbeddedPostgresDefault(DeferredLogFactory logs) {
        this.log = logs.getLog(EmbeddedPostgresDefault.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        for (String property : new String[] {"pgdbm.url", "spring.datasource.url", "DATABASE_URL"}) {
            if (configured(environment, property)) {
                log.info("Using the database " + property + " names: " + describe(environment.getProperty(property)));
                return;
            }
        }
        if (configured(environment, "PGHOST") || configured(environment, "PGDATABASE")) {
            // pgdbm reads the libpq variables when no URL is set: say where they point, they are easy to forget
            log.info("Using the server the libpq environment variables name: PGHOST="
                    + environment.getProperty("PGHOST", "(unset: localhost)") + ", PGPORT="
                    + environment.getProperty("PGPORT", "(unset: 5432)") + ", PGDATABASE="
                    + environment.getProperty("PGDATABASE", "(unset)") + ", PGUSER="
                    + environment.getProperty("PGUSER", "(unset)")
                    + ". Unset PGHOST and PGDATABASE to start the embedded PostgreSQL instead.");
            return;
        }
        Path dataDirectory = Path.of(environment.getProperty(DATA_DIRECTORY, ".pgdbm/example-data"))
                .toAbsolutePath();
        EmbeddedServer server = PostgresServers.embedded()
                .persistentDataDirectory(dataDirectory)
                .stopOnJvmExit(false) // the context stops it, after its pool: see below
                .start();
        createDatabase(server);
        // The server is a bean of the context: stopped when the context closes, after everything that uses it
        // (Spring destroys beans in reverse order of registration, and the pool and data source are declared
        // dependent on it), so requests in flight during graceful shutdown keep their database to the end.
        application.addInitializers(context -> {
            var beans = (DefaultListableBeanFactory) context.getBeanFactory();
            beans.registerSingleton(SERVER_BEAN, server);
            beans.registerDisposableBean(SERVER_BEAN, server::close);
            context.addBeanFactoryPostProcessor(factory -> {
                for (Class<?> user : new Class<?>[] {SharedPool.class, DataSource.class}) {
                    for (String name : factory.getBeanNamesForType(user, true, false)) {
                        ((DefaultListableBeanFactory) factory).registerDependentBean(SERVER_BEAN, name);
                    }
                }
            });
        });
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource("embedded-postgres", Map.of("pgdbm.url", server.url(DATABASE))));
        log.info("No database configured (pgdbm.url, spring.datasource.url, DATABASE_URL or PGHOST): started an"
                + " embedded PostgreSQL on port " + server.port() + ", data in " + dataDirectory
                + ". Set DATABASE_URL to use your own server.");
    }

    /** The URL as pgdbm shows it: the password masked. */
    private static String describe(String url) {
        try {
            return DatabaseConfig.builder().url(url).build().describe();
        } catch (RuntimeException e) {
            return "(a URL pgdbm cannot read: " + e.getMessage() + ")";
        }
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
