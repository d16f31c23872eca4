package io.pgdbm.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hot standby streaming from an {@link EmbeddedServer}, for testing code that reads from replicas: made by
 * {@link EmbeddedServer#startStandby()} the way {@code pg_basebackup} would, with only the binaries the embedded
 * server ships — {@code pg_backup_start}, a copy of the data directory, {@code pg_backup_stop}'s backup label,
 * {@code standby.signal} and a physical replication slot. It runs the primary's own {@code postgres} binary with
 * the primary's settings (a hot standby must not have fewer connections than its primary), as the primary's user.
 * Tests can make it fall behind ({@link #pauseReplay()}), lose it ({@link #kill()}) and bring it back
 * ({@link #start()}).
 */
public final class StandbyServer implements PostgresServer {
    private static final AtomicInteger SLOTS = new AtomicInteger();
    /** Per-server state a copy must not take: the lock file, its options, WAL (streamed), slots, temporaries. */
    private static final Set<String> SKIPPED = Set.of(
            "postmaster.pid",
            "postmaster.opts",
            "pg_wal",
            "pg_replslot",
            "pg_stat_tmp",
            "pg_dynshmem",
            "pg_notify",
            "pg_serial",
            "pg_snapshots",
            "pg_subtrans");

    private final Path bin;
    private final Path directory;
    private final int port;
    private final List<String> settings;
    private final Path log;
    private Process process;

    private final EmbeddedServer primary;

    private StandbyServer(EmbeddedServer primary, Path bin, Path directory, int port, List<String> settings) {
        this.primary = primary;
        this.bin = bin;
        this.directory = directory;
        this.port = port;
        this.settings = settings;
        this.log = directory.resolveSibling(directory.getFileName() + ".log");
    }

    /** Makes a standby of {@code primary} and starts it; returns once it accepts read-only connections. */
    static StandbyServer of(EmbeddedServer primary) throws IOException, SQLException {
        ProcessHandle.Info postmaster =
                ProcessHandle.of(primary.postmasterPid()).orElseThrow().info();
        Path postgres = Path.of(postmaster.command().orElseThrow());
        List<String> settings = new ArrayList<>();
        String[] arguments = postmaster.arguments().orElse(new String[0]);
        for (int i = 0; i < arguments.length; i++) {
            if (arguments[i].equals("-c") && i + 1 < arguments.length) {
                settings.add(arguments[++i]);
            }
        }
        Path directory = Files.createTempDirectory("pgdbm-replica-");
        String slot = "pgdbm_replica_" + SLOTS.incrementAndGet();
        try (Connection connection = primary.connect(primary.adminDatabase());
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_create_physical_replication_slot('" + slot + "', true)");
            statement.execute("SELECT pg_backup_start('pgdbm-replica', true)");
            copy(primary.dataDirectory(), directory);
            try (ResultSet stop = statement.executeQuery("SELECT labelfile, spcmapfile FROM pg_backup_stop(false)")) {
                stop.next();
                Files.writeString(directory.resolve("backup_label"), stop.getString(1));
                String map = stop.getString(2);
                if (map != null && !map.isEmpty()) {
                    Files.writeString(directory.resolve("tablespace_map"), map);
                }
            }
        }
        Files.createDirectories(directory.resolve("pg_wal/archive_status"));
        for (String empty : List.of(
                "pg_replslot", "pg_stat_tmp", "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans")) {
            Files.createDirectories(directory.resolve(empty));
        }
        Files.writeString(directory.resolve("standby.signal"), "");
        Files.writeString(
                directory.resolve("postgresql.auto.conf"),
                "\nprimary_conninfo = 'host=localhost port=" + primary.port() + " user=" + primary.user()
                        + " application_name=pgdbm_replica'\nprimary_slot_name = '" + slot + "'\nhot_standby = on\n",
                java.nio.file.StandardOpenOption.APPEND);
        StandbyServer replica = new StandbyServer(primary, postgres.getParent(), directory, freePort(), settings);
        try {
            replica.launch();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the standby", e);
        }
        return replica;
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
        return port;
    }

    @Override
    public String user() {
        return primary.user();
    }

    @Override
    public Optional<String> password() {
        return primary.password();
    }

    @Override
    public String adminDatabase() {
        return primary.adminDatabase();
    }

    @Override
    public String describe() {
        return "embedded standby of " + primary.host() + ":" + primary.port() + " at localhost:" + port;
    }

    /**
     * Starts the standby again after {@link #kill()}, and waits until it answers as a standby.
     *
     * @throws UncheckedIOException when it does not start within 60 s; the message holds its log
     */
    public void start() {
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException("The standby did not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while starting the standby", e));
        }
    }

    private void launch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL refuses root; as the embedded server does, run it in a user namespace of its own
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(
                List.of(bin.resolve("postgres").toString(), "-D", directory.toString(), "-p", Integer.toString(port)));
        for (String setting : settings) {
            command.add("-c");
            command.add(setting);
        }
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("it stopped while starting:\n" + Files.readString(log));
            }
            if (accepts(port)) {
                try (Connection connection = connect(adminDatabase());
                        Statement statement = connection.createStatement();
                        ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery()")) {
                    row.next();
                    if (row.getBoolean(1)) {
                        return;
                    }
                    throw new IOException("the copy started as a primary, not a standby");
                } catch (SQLException e) {
                    // "the database system is starting up": not yet consistent
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("not within 60 s:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }

    /** Stops the standby the way a crash would (immediate shutdown): its connections are cut, nothing is flushed. */
    public void kill() {
        stop("QUIT");
    }

    /** Whether the standby's postmaster runs. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops applying WAL, which still arrives: from now on the standby falls behind the primary. */
    public void pauseReplay() {
        run("SELECT pg_wal_replay_pause()");
    }

    /** Applies WAL again, catching up with the primary. */
    public void resumeReplay() {
        run("SELECT pg_wal_replay_resume()");
    }

    private void run(String sql) {
        try (Connection connection = connect(adminDatabase());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on the standby: " + e.getMessage(), e);
        }
    }

    /** Stops the standby (fast shutdown) and deletes its data; the primary's replication slot stays. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stop("INT");
        }
        deleteTree(directory);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a log file in the temp folder is not worth failing a test run for
        }
    }

    /** Signals the postmaster (INT: fast shutdown, QUIT: immediate) and waits for it to exit. */
    private void stop(String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the standby", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while stopping the standby", e));
        }
    }

    /** Copies a running server's data directory: files that vanish mid-copy are skipped, WAL is left out. */
    private static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from)
                        && from.equals(dir.getParent())
                        && SKIPPED.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (from.equals(file.getParent())
                        && SKIPPED.contains(file.getFileName().toString())) {
                    return FileVisitResult.CONTINUE;
                }
                try {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                } catch (NoSuchFileException vanished) {
                    // dropped while copying: replaying WAL from the backup's start recreates what matters
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
