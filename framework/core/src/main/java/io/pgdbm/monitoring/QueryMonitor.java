package io.pgdbm.monitoring;

import io.pgdbm.ConfigurationException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the statements of the managers it is attached to ({@link io.pgdbm.DatabaseManager#withMonitor}):
 * plain-SQL verbs and {@code dsl()} alike. It counts statements, failures and time; aggregates them per
 * statement shape with percentiles; keeps a bounded history; and calls back (and logs a warning) for slow
 * ones. Managers without a monitor pay nothing for this.
 *
 * <pre>{@code
 * QueryMonitor monitor = QueryMonitor.builder()
 *     .slowQueryThreshold(Duration.ofMillis(500))
 *     .onSlowQuery(event -> alerts.send(event.shape(), event.duration()))
 *     .build();
 * DatabaseManager users = pool.manager("users").withMonitor(monitor);
 * ...
 * monitor.statements().forEach(s -> log.info("{} x{} p95={}", s.shape(), s.count(), s.p95()));
 * }</pre>
 *
 * <p>Arguments are recorded only when {@link Builder#recordParameters(boolean)} asks for it, and then masked
 * (text over 20 characters shown as its length, {@code Secret}s and the configured password as {@code ***}).
 * Thread-safe.
 */
public final class QueryMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(QueryMonitor.class);
    /** Distinct shapes tracked; more are counted under {@link #OTHER}. */
    static final int MAX_SHAPES = 1000;

    static final String OTHER = "(other statements)";
    private static final int RESERVOIR = 1024;

    private final @Nullable Duration slowQueryThreshold;
    private final long slowNanos;
    private final List<Consumer<QueryEvent>> slowListeners;
    private final List<Consumer<QueryEvent>> listeners;
    private final int historySize;
    private final boolean recordParameters;

    private final LongAdder count = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder slow = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();
    private final AtomicLong maxNanos = new AtomicLong();
    private final ConcurrentHashMap<String, Shape> shapes = new ConcurrentHashMap<>();
    private final ArrayDeque<QueryEvent> history;

    private QueryMonitor(Builder b) {
        this.slowQueryThreshold = b.slowQueryThreshold;
        this.slowNanos = b.slowQueryThreshold == null ? Long.MAX_VALUE : b.slowQueryThreshold.toNanos();
        this.slowListeners = new CopyOnWriteArrayList<>(b.slowListeners);
        this.listeners = new CopyOnWriteArrayList<>(b.listeners);
        this.historySize = b.historySize;
        this.recordParameters = b.recordParameters;
        this.history = new ArrayDeque<>(Math.max(1, historySize));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether statements' arguments are recorded (masked) in events. */
    public boolean recordsParameters() {
        return recordParameters;
    }

    /** Adds a listener called for every statement, e.g. to feed metrics (see {@link PgdbmMetrics}). */
    public void addListener(Consumer<QueryEvent> listener) {
        listeners.add(listener);
    }

    /** Records one statement. Managers call this; integrations that run SQL themselves may too. */
    public void record(QueryEvent event) {
        long nanos = event.duration().toNanos();
        count.increment();
        totalNanos.add(nanos);
        maxNanos.accumulateAndGet(nanos, Math::max);
        if (!event.success()) {
            failures.increment();
        }
        shape(event.shape()).add(nanos, event.success());
        if (historySize > 0) {
            synchronized (history) {
                if (history.size() == historySize) {
                    history.removeFirst();
                }
                history.addLast(event);
            }
        }
        if (nanos >= slowNanos) {
            slow.increment();
            LOG.warn(
                    "Slow query: {} ms (threshold {} ms){}{}: {}",
                    nanos / 1_000_000,
                    slowQueryThreshold.toMillis(),
                    event.schema().map(s -> " in schema " + s).orElse(""),
                    event.parameters().isEmpty() ? "" : " with " + event.parameters(),
                    event.sql());
            for (Consumer<QueryEvent> listener : slowListeners) {
                notify(listener, event);
            }
        }
        for (Consumer<QueryEvent> listener : listeners) {
            notify(listener, event);
        }
    }

    private static void notify(Consumer<QueryEvent> listener, QueryEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("A query monitor listener failed: {}", e.toString());
        }
    }

    private Shape shape(String shape) {
        Shape existing = shapes.get(shape);
        if (existing != null) {
            return existing;
        }
        return shapes.size() >= MAX_SHAPES
                ? shapes.computeIfAbsent(OTHER, Shape::new)
                : shapes.computeIfAbsent(shape, Shape::new);
    }

    /** Totals since creation or the last {@link #reset()}. */
    public MonitorStats stats() {
        long n = count.sum();
        long total = totalNanos.sum();
        return new MonitorStats(
                n,
                failures.sum(),
                slow.sum(),
                Duration.ofNanos(total),
                Duration.ofNanos(n == 0 ? 0 : total / n),
                Duration.ofNanos(maxNanos.get()));
    }

    /** Per statement shape, the most time-consuming first. */
    public List<StatementStats> statements() {
        List<StatementStats> all = new ArrayList<>();
        shapes.values().forEach(shape -> all.add(shape.snapshot()));
        all.sort(Comparator.comparing(StatementStats::total).reversed());
        return all;
    }

    /** The most recent statements, oldest first (empty when the history is off). */
    public List<QueryEvent> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** Forgets everything recorded so far. */
    public void reset() {
        count.reset();
        failures.reset();
        slow.reset();
        totalNanos.reset();
        maxNanos.set(0);
        shapes.clear();
        synchronized (history) {
            history.clear();
        }
    }

    /** One shape's counters and its most recent durations. */
    private static final class Shape {
        private final String text;
        private final LongAdder count = new LongAdder();
        private final LongAdder failures = new LongAdder();
        private final LongAdder total = new LongAdder();
        private final AtomicLong max = new AtomicLong();
        private final long[] recent = new long[RESERVOIR];
        private final AtomicLong next = new AtomicLong();

        Shape(String text) {
            this.text = text;
        }

        void add(long nanos, boolean success) {
            count.increment();
            total.add(nanos);
            max.accumulateAndGet(nanos, Math::max);
            if (!success) {
                failures.increment();
            }
            recent[(int) (next.getAndIncrement() % RESERVOIR)] = nanos;
        }

        StatementStats snapshot() {
            long n = count.sum();
            long sum = total.sum();
            long[] sorted = Arrays.copyOf(recent, (int) Math.min(next.get(), RESERVOIR));
            Arrays.sort(sorted);
            return new StatementStats(
                    text,
                    n,
                    failures.sum(),
                    Duration.ofNanos(sum),
                    Duration.ofNanos(n == 0 ? 0 : sum / n),
                    Duration.ofNanos(max.get()),
                    percentile(sorted, 50),
                    percentile(sorted, 95),
                    percentile(sorted, 99));
        }

        private static Duration percentile(long[] sorted, int percent) {
            if (sorted.length == 0) {
                return Duration.ZERO;
            }
            int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
            return Duration.ofNanos(sorted[Math.max(0, Math.min(index, sorted.length - 1))]);
        }
    }

    /** Options; all optional. */
    public static final class Builder {
        private @Nullable Duration slowQueryThreshold;
        private final List<Consumer<QueryEvent>> slowListeners = new ArrayList<>();
        private final List<Consumer<QueryEvent>> listeners = new ArrayList<>();
        private int historySize = 100;
        private boolean recordParameters;

        private Builder() {}

        /** Statements at least this slow are logged (WARN) and passed to {@link #onSlowQuery}; none by default (null). */
        public Builder slowQueryThreshold(@Nullable Duration threshold) {
            if (threshold != null && (threshold.isNegative() || threshold.isZero())) {
                throw new ConfigurationException("slowQueryThreshold (" + threshold + ") must be positive");
            }
            this.slowQueryThreshold = threshold;
            return this;
        }

        public Builder onSlowQuery(Consumer<QueryEvent> callback) {
            slowListeners.add(callback);
            return this;
        }

        public Builder onQuery(Consumer<QueryEvent> callback) {
            listeners.add(callback);
            return this;
        }

        /** How many recent statements {@link QueryMonitor#history()} keeps; default 100, 0 turns it off. */
        public Builder historySize(int size) {
            if (size < 0) {
                throw new ConfigurationException("historySize (" + size + ") must not be negative");
            }
            this.historySize = size;
            return this;
        }

        /** Record statements' arguments (masked) in events and the history; off by default. */
        public Builder recordParameters(boolean record) {
            this.recordParameters = record;
            return this;
        }

        public QueryMonitor build() {
            return new QueryMonitor(this);
        }
    }
}
