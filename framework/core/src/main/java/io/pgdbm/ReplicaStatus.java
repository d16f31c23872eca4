package io.pgdbm;

import java.time.Duration;
import java.util.Optional;

/**
 * One read replica as pgdbm last saw it ({@link SharedPool#replicaStatus()}).
 *
 * @param server the replica's address, without credentials
 * @param state whether it serves reads, and if not, why
 * @param lag its replay lag at the last check; empty when it could not be read
 * @param problem why it is not serving reads; empty when it is
 */
public record ReplicaStatus(String server, State state, Optional<Duration> lag, Optional<String> problem) {

    /** Whether a replica serves reads. */
    public enum State {
        /** Not checked yet: no read has gone through {@code replica()}. */
        UNCHECKED,
        /** Reachable, and within the configured lag. */
        SERVING,
        /** Reachable, but further behind than {@link DatabaseConfig#replicaMaxLag()}. */
        LAGGING,
        /** Not reachable, or it failed its check. */
        UNREACHABLE
    }

    /** Whether reads go to it. */
    public boolean serving() {
        return state == State.SERVING;
    }
}
