package io.pgdbm.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real PgBouncer in transaction mode in front of a test server, for testing code that runs behind one:
 * started from the system's binary ({@code apt-get install pgbouncer}, {@code brew install pgbouncer}; or
 * {@code PGBOUNCER=/path/to/pgbouncer}) by {@link #start}. Nothing is downloaded: where there is no binary,
 * {@link #binary()} is empty and a test should skip. It trusts every client, passes pgJDBC's {@code
 * extra_float_digits} start-up parameter, and keeps {@code serverConnections} connections to the server per
 * database and user. PgBouncer refuses to run as root, so a root process hands it to {@code nobody}.
 */
public final class PgBouncerServer implements PostgresServer {
    private final Process process;
    private final Path directory;
    private final int port;
    private final PostgresServer server;

    private PgBouncerServer(Process process, Path directory, int port, PostgresServer server) {
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.server = server;
    }

    /** The pgbouncer binary: {@code PGBOUNCER} if set, else the first on the PATH or in the sbin folders. */
    public static Optional<Path> binary() {
        String configured = System.getenv("PGBOUNCER");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        List<String> folders =
                new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        folders.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/usr/local/bin", "/opt/homebrew/bin"));
        return folders.stream()
                .filter(folder -> !folder.isBlank())
                .map(folder -> Path.of(folder, "pgbouncer"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Starts PgBouncer in transaction mode in front of {@code server}, with {@code serverConnections}
     * connections to it per database and user.
     *
     * @throws IllegalStateException when PgBouncer is not installed, or does not start (its output included)
     */
    public static PgBouncerServer start(PostgresServer server, int serverConnections) {
        Path binary = binary().orElseThrow(() -> new IllegalStateException(
                "PgBouncer is not installed: apt-get install pgbouncer, or set PGBOUNCER to its binary"));
        try {
            return start(binary, server, serverConnections);
        } catch (IOException e) {
            throw new UncheckedIOException("PgBouncer did not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting PgBouncer", e);
        }
    }

    private static PgBouncerServer start(Path binary, PostgresServer server, int serverConnections)
            throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("pgdbm-pgbouncer");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = freePort();
        Path users = directory.resolve("users.txt");
        Files.writeString(
                users, quoted(server.user()) + " " + quoted(server.password().orElse("")) + "\n");
        Path ini = directory.resolve("pgbouncer.ini");
        Files.writeString(
                ini,
                String.join(
                        "\n",
                        "[databases]",
                        "* = host=" + server.host() + " port=" + server.port(),
                        "[pgbouncer]",
                        "listen_addr = 127.0.0.1",
                        "listen_port = " + port,
                        "unix_socket_dir =",
                        "auth_type = trust",
                        "auth_file = " + users,
                        "pool_mode = transaction",
                        "default_pool_size = " + serverConnections,
                        "max_client_conn = 200",
                        // pgJDBC sends extra_float_digits in its start-up packet; PgBouncer must let it pass.
                        "ignore_startup_parameters = extra_float_digits",
                        ""));
        for (Path file : List.of(users, ini)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "nobody"));
        }
        command.add(ini.toString());
        Path log = directory.resolve("pgbouncer.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not listen:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return new PgBouncerServer(process, directory, port, server);
    }

    @Override
    public Kind kind() {
        return Kind.PGBOUNCER;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return server.user();
    }

    @Override
    public Optional<String> password() {
        return server.password();
    }

    @Override
    public String adminDatabase() {
        return server.adminDatabase();
    }

    /** The server behind PgBouncer: for what must bypass it (migrations, administration). */
    public PostgresServer backend() {
        return server;
    }

    @Override
    public String describe() {
        return "PgBouncer (transaction mode) at 127.0.0.1:" + port + " in front of " + server.describe();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // a few small files left in the temp folder are not worth failing a test for
        }
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
