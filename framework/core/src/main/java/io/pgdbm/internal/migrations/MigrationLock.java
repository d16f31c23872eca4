package io.pgdbm.internal.migrations;

import io.pgdbm.migrations.MigrationException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session-level PostgreSQL advisory lock per (schema, module), so that threads and processes migrating
 * the same module take turns while different modules migrate in parallel. Waiting polls with {@code
 * pg_try_advisory_lock} and gives its connection back between tries, so waiters do not drain the pool;
 * the holder keeps one connection until {@link #close()}.
 */
public final class MigrationLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationLock.class);
    /** The advisory lock class: 'pgdb' in ASCII, so the locks are recognisable in pg_locks. */
    static final int LOCK_CLASS = 0x70676462;

    private static final long MAX_BACKOFF_MILLIS = 250;

    private final Connection connection;
    private final int key;

    private MigrationLock(Connection connection, int key) {
        this.connection = connection;
        this.key = key;
    }

    /** The lock key for a schema and module (the objid in {@code pg_locks}). */
    public static int key(String schema, String module) {
        CRC32 crc = new CRC32();
        crc.update((schema + "." + module).getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    /**
     * Waits up to {@code timeout} for the lock.
     *
     * @throws MigrationException when another runner holds it longer than that
     */
    public static MigrationLock acquire(Supplier<Connection> borrow, String schema, String module, Duration timeout) {
        int key = key(schema, module);
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoff = 5;
        boolean logged = false;
        while (true) {
            Connection connection = borrow.get();
            boolean locked = false;
            try {
                locked = tryLock(connection, key);
            } catch (SQLException e) {
                closeQuietly(connection);
                throw new MigrationException(
                        "Could not take the migration lock of module '" + module + "' in schema " + schema + ": "
                                + e.getMessage(),
                        module,
                        schema,
                        null,
                        null,
                        e.getSQLState(),
                        e);
            } finally {
                if (!locked) {
                    closeQuietly(connection);
                }
            }
            if (locked) {
                return new MigrationLock(connection, key);
            }
            if (System.nanoTime() > deadline) {
                throw new MigrationException(
                        "Another process has been migrating module '" + module + "' in schema "
                                + schema + " for longer than " + timeout.toSeconds()
                                + " s; if nothing is running, look for a"
                                + " session holding advisory lock (" + LOCK_CLASS + ", " + key + ") in pg_locks",
                        module,
                        schema);
            }
            if (!logged) {
                LOG.info("Waiting for another runner to finish migrating module '{}' in schema {}", module, schema);
                logged = true;
            }
            sleep(backoff, schema, module);
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    private static boolean tryLock(Connection connection, int key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            statement.setInt(1, LOCK_CLASS);
            statement.setInt(2, key);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void sleep(long millis, String schema, String module) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(
                    "Interrupted while waiting for the migration lock of module '" + module + "' in schema " + schema,
                    module,
                    schema,
                    null,
                    null,
                    null,
                    e);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the pool evicts a broken connection
        }
    }

    /** Runs {@code work} while holding the lock, then releases it. */
    public <T> T holding(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } finally {
            close();
        }
    }

    /** Releases the lock and returns the connection to the pool. */
    @Override
    public void close() {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            statement.setInt(1, LOCK_CLASS);
            statement.setInt(2, key);
            statement.execute();
        } catch (SQLException e) {
            // A lost connection releases its session locks on the server anyway.
            LOG.warn(
                    "Releasing the migration lock failed ({}); the server releases it with the session",
                    e.getMessage());
        } finally {
            closeQuietly(connection);
        }
    }
}
