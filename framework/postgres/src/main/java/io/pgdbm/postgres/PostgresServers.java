package io.pgdbm.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds or starts PostgreSQL.
 *
 * <p>{@link #shared()} is the server for a test JVM, chosen in this order unless {@code
 * pgdbm.test.provider} (system property, or {@code PGDBM_TEST_PROVIDER} in the environment) names one of
 * {@code url}, {@code embedded} or {@code testcontainers}:
 *
 * <ol>
 *   <li>{@code PGDBM_TEST_URL} (environment or system property), e.g. {@code
 *       postgresql://postgres@127.0.0.1:5432/postgres};
 *   <li>an embedded server from Maven-provided binaries: nothing to install;
 *   <li>a Testcontainers container, where Docker runs ({@code pgdbm.test.image} picks the image).
 * </ol>
 *
 * The shared server starts once per JVM and stops when the JVM exits.
 */
public final class PostgresServers {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresServers.class);

    public static final String URL_VARIABLE = "PGDBM_TEST_URL";
    public static final String PROVIDER_PROPERTY = "pgdbm.test.provider";
    public static final String PROVIDER_VARIABLE = "PGDBM_TEST_PROVIDER";
    public static final String IMAGE_PROPERTY = "pgdbm.test.image";

    private static PostgresServer shared;

    private PostgresServers() {}

    /** A server named by a libpq or JDBC URL; closing it does nothing. */
    public static PostgresServer fromUrl(String url) {
        return new UrlServer(Urls.parse(url, "the server URL"));
    }

    /** Options for an embedded server; call {@code start()} on the result. */
    public static EmbeddedServer.Builder embedded() {
        return new EmbeddedServer.Builder();
    }

    /** Whether Testcontainers is on the class path and a Docker engine answers. */
    public static boolean dockerAvailable() {
        return testcontainersPresent() && TestcontainersServer.dockerAvailable();
    }

    /** Starts PostgreSQL in Docker; needs Testcontainers on the class path and a Docker engine. */
    public static PostgresServer testcontainers(String image) {
        if (!testcontainersPresent()) {
            throw new IllegalStateException("Testcontainers is not on the class path: add"
                    + " org.testcontainers:testcontainers-postgresql to use it");
        }
        return TestcontainersServer.start(image);
    }

    /** The test server of this JVM, found or started on first call. Thread-safe. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = locate(System.getenv(), System::getProperty);
            PostgresServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pgdbm-postgres-shutdown"));
            String described = server.describe().replaceFirst("PostgreSQL", "PostgreSQL " + server.version());
            LOG.info("Tests use {}", described);
            if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof org.slf4j.helpers.NOPLoggerFactory) {
                // no logging backend: say it anyway, once, so that which server ran the tests is never a mystery
                System.err.println("pgdbm: tests use " + described + " (add an SLF4J backend, such as"
                        + " org.slf4j:slf4j-simple in test scope, to see pgdbm's log)");
            }
        }
        return shared;
    }

    /**
     * Chooses and starts a server from {@code env} and {@code properties} as {@link #shared()} does.
     *
     * @throws IllegalStateException when no provider can supply a server; the message says what to set
     */
    public static PostgresServer locate(Map<String, String> env, Function<String, @Nullable String> properties) {
        String url = firstNonBlank(properties.apply(URL_VARIABLE), env.get(URL_VARIABLE));
        String provider = firstNonBlank(properties.apply(PROVIDER_PROPERTY), env.get(PROVIDER_VARIABLE));
        String image = firstNonBlank(properties.apply(IMAGE_PROPERTY), TestcontainersServer.DEFAULT_IMAGE);
        if (provider != null) {
            return switch (provider.strip().toLowerCase(Locale.ROOT)) {
                case "url" -> {
                    if (url == null) {
                        throw new IllegalStateException(PROVIDER_PROPERTY + "=url needs " + URL_VARIABLE + ", e.g. "
                                + URL_VARIABLE + "=postgresql://postgres@127.0.0.1:5432/postgres");
                    }
                    yield fromUrl(url);
                }
                case "embedded" -> embedded().fastAndUnsafe().start();
                case "testcontainers" -> {
                    if (!dockerAvailable()) {
                        throw new IllegalStateException(PROVIDER_PROPERTY + "=testcontainers, but "
                                + (testcontainersPresent()
                                        ? "no Docker engine answers"
                                        : "Testcontainers is not on the class path")
                                + ". Start Docker, or choose " + PROVIDER_PROPERTY + "=embedded");
                    }
                    yield testcontainers(image);
                }
                default ->
                    throw new IllegalStateException(
                            PROVIDER_PROPERTY + " ('" + provider + "') must be url, embedded or testcontainers");
            };
        }
        if (url != null) {
            return fromUrl(url);
        }
        List<String> failures = new ArrayList<>();
        try {
            return embedded().fastAndUnsafe().start();
        } catch (RuntimeException e) {
            failures.add("the embedded server did not start: " + e.getMessage());
            LOG.warn("The embedded PostgreSQL did not start ({}); trying Testcontainers", e.getMessage());
        }
        if (dockerAvailable()) {
            return testcontainers(image);
        }
        failures.add(
                testcontainersPresent()
                        ? "no Docker engine answers for Testcontainers"
                        : "Testcontainers is not on the class path");
        throw new IllegalStateException("No PostgreSQL server for the tests: " + URL_VARIABLE + " is not set, "
                + String.join(", ", failures) + ". Set " + URL_VARIABLE
                + "=postgresql://user:password@host:5432/postgres to use a running server.");
    }

    private static boolean testcontainersPresent() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, PostgresServers.class.getClassLoader());
            Class.forName(
                    "org.testcontainers.postgresql.PostgreSQLContainer", false, PostgresServers.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static String firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        return second != null && !second.isBlank() ? second : null;
    }
}
