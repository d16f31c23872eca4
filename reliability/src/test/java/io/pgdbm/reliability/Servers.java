package io.pgdbm.reliability;

import io.pgdbm.postgres.EmbeddedServer;
import io.pgdbm.postgres.PostgresServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Dedicated embedded servers the suite may crash and restart, with durable commits. */
final class Servers {
    private Servers() {}

    /** A server on {@code data} (kept across restarts), synchronous commit on: an acknowledged commit is in the WAL. */
    static EmbeddedServer durable(Path data, int port) {
        return PostgresServers.embedded()
                .persistentDataDirectory(data)
                .port(port)
                .setting("synchronous_commit", "on")
                .setting("max_connections", "100")
                .startupWait(Duration.ofSeconds(60))
                .start();
    }

    /** SIGKILL to the postmaster and every backend: what an OOM killer or a power cut leaves. */
    static void kill(EmbeddedServer server) throws Exception {
        ProcessHandle postmaster = ProcessHandle.of(server.postmasterPid())
                .orElseThrow(() -> new IllegalStateException("no postmaster process"));
        var children = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        postmaster.onExit().get(10, TimeUnit.SECONDS);
        for (ProcessHandle child : children) {
            child.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    /** Closes a killed server's handle (releasing the embedded library's lock on the directory), quietly. */
    static void forget(EmbeddedServer server) {
        try {
            server.close();
        } catch (RuntimeException ignored) {
            // pg_ctl stop fails on a dead server; only the lock release matters
        }
    }
}
