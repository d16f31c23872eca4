package io.pgdbm;

/**
 * A snapshot of a pool's connections. Values are read one after another, so under load they need not add
 * up exactly.
 *
 * @param total connections open now (active + idle)
 * @param active connections lent out
 * @param idle connections waiting in the pool
 * @param waiting callers waiting for a connection
 * @param min connections the pool keeps open when idle
 * @param max the most connections the pool opens
 */
public record PoolStats(int total, int active, int idle, int waiting, int min, int max) {

    /** Lent-out connections as a fraction of {@code max}, from 0.0 to 1.0. */
    public double utilization() {
        return max == 0 ? 0.0 : (double) active / max;
    }

    @Override
    public String toString() {
        return "total=" + total + ", active=" + active + ", idle=" + idle + ", waiting=" + waiting + ", min=" + min
                + ", max=" + max;
    }
}
