package io.pgdbm.reliability;

import io.pgdbm.postgres.EmbeddedServer;
import io.pgdbm.postgres.PostgresServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * SIGKILL to the postmaster and every backend: what an OOM killer or a power cut leaves. Returns when every
     * process is gone. A killed postmaster is not this JVM's child: init reaps it, on some machines only every few
     * seconds, and until then its pid still names it in the data directory's and the socket's lock files, so
     * PostgreSQL would refuse to start there again.
     */
    static void kill(EmbeddedServer server) throws Exception {
        ProcessHandle postmaster = ProcessHandle.of(server.postmasterPid())
                .orElseThrow(() -> new IllegalStateException("no postmaster process"));
        List<ProcessHandle> all = new ArrayList<>();
        all.add(postmaster);
        all.addAll(postmaster.descendants().toList());
        all.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REAP_WAIT_SECONDS);
        for (ProcessHandle process : all) {
            try {
                process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("process " + process.pid() + " was not gone " + REAP_WAIT_SECONDS
                        + " s after SIGKILL (killed, but not reaped by init?)");
            }
        }
    }

    private static final int REAP_WAIT_SECONDS = 120;

    /** Closes a killed server's handle (releasing the embedded library's lock on the directory), quietly. */
    static void forget(EmbeddedServer server) {
        try {
            server.close();
        } catch (RuntimeException ignored) {
            // pg_ctl stop fails on a dead server; only the lock release matters
        }
    }
}
