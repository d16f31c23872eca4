package io.pgdbm.scaleout;

import io.pgdbm.postgres.PostgresServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real PgBouncer in transaction mode in front of a test server, started from the system's binary
 * ({@code apt-get install pgbouncer}; {@code .ci/run} installs it). PgBouncer refuses to run as root, so a
 * root test run hands it to {@code nobody} ({@code -u}).
 */
final class PgBouncer implements AutoCloseable {
    private final Process process;
    private final Path directory;
    private final int port;
    private final PostgresServer server;

    private PgBouncer(Process process, Path directory, int port, PostgresServer server) {
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.server = server;
    }

    /** The pgbouncer binary: {@code PGBOUNCER} if set, else the first on the PATH or in the sbin folders. */
    static Optional<Path> binary() {
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

    /** Starts PgBouncer in transaction mode with {@code serverConnections} connections per database and user. */
    static PgBouncer start(Path binary, PostgresServer server, int serverConnections) throws Exception {
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
                throw new IllegalStateException(
                        "PgBouncer did not start (" + String.join(" ", command) + "):\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return new PgBouncer(process, directory, port, server);
    }

    int port() {
        return port;
    }

    /** A libpq URL for {@code database} through PgBouncer, with the server's credentials. */
    String url(String database) {
        StringBuilder url = new StringBuilder("postgresql://").append(encode(server.user()));
        server.password().ifPresent(password -> url.append(':').append(encode(password)));
        return url.append("@127.0.0.1:")
                .append(port)
                .append('/')
                .append(encode(database))
                .toString();
    }

    String log() throws IOException {
        return Files.readString(directory.resolve("pgbouncer.log"));
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
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
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
