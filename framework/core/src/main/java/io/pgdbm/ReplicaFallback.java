package io.pgdbm;

/**
 * What reads through {@link DatabaseManager#replica()} do when no replica can serve them — none reachable, or
 * every one further behind than {@link DatabaseConfig#replicaMaxLag()}.
 */
public enum ReplicaFallback {
    /** Read from the primary, still read-only; health reports it as degraded. The default. */
    PRIMARY,
    /** Fail with a {@link ConnectionException} that says which replicas were tried and why each was passed over. */
    FAIL
}
