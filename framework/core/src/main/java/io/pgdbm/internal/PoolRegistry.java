package io.pgdbm.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open pools per database in this process, so that a second pool to the same database can be
 * pointed out: it doubles the connections held and is almost always a missed chance to share.
 */
public final class PoolRegistry {
    private static final ConcurrentHashMap<String, AtomicInteger> OPEN = new ConcurrentHashMap<>();

    private PoolRegistry() {}

    /** Records a new pool; returns how many pools to {@code key} were already open. */
    public static int register(String key) {
        return OPEN.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement();
    }

    public static void unregister(String key) {
        OPEN.computeIfPresent(key, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
}
