package io.pgdbm.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Client CPU time per operation, from {@link ThreadMXBean}: far steadier than wall time on a shared 2-core
 * machine, and exactly the overhead the framework adds on top of the server's round trip. JMH reports {@code
 * cpuNanos} and {@code ops} as secondary results; the report divides them.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuCounters {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public long cpuNanos;
    public long ops;
    private long started;

    @Setup(Level.Iteration)
    public void start() {
        cpuNanos = 0;
        ops = 0;
        started = THREADS.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void stop() {
        cpuNanos = THREADS.getCurrentThreadCpuTime() - started;
    }

    public void op() {
        ops++;
    }
}
