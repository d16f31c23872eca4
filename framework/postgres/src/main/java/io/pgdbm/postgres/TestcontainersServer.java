package io.pgdbm.postgres;

import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * PostgreSQL in a Docker container. Loaded only when Testcontainers is on the class path and chosen, so
 * the dependency stays optional.
 */
final class TestcontainersServer implements PostgresServer {
    static final String DEFAULT_IMAGE = "postgres:18-alpine";

    private final PostgreSQLContainer container;

    private TestcontainersServer(PostgreSQLContainer container) {
        this.container = container;
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static TestcontainersServer start(String image) {
        PostgreSQLContainer container = new PostgreSQLContainer(image)
                .withDatabaseName("postgres")
                .withUsername("postgres")
                .withPassword("postgres")
                .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=300");
        container.start();
        return new TestcontainersServer(container);
    }

    @Override
    public Kind kind() {
        return Kind.TESTCONTAINERS;
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(5432);
    }

    @Override
    public String user() {
        return container.getUsername();
    }

    @Override
    public Optional<String> password() {
        return Optional.of(container.getPassword());
    }

    @Override
    public String adminDatabase() {
        return "postgres";
    }

    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String toString() {
        return describe() + " (" + container.getDockerImageName() + ")";
    }
}
