package io.pgdbm.internal;

import io.pgdbm.ConnectionException;
import io.pgdbm.SharedPool;
import java.sql.Connection;
import java.sql.SQLException;
import org.jooq.ConnectionProvider;

/**
 * jOOQ's connections for a manager's {@code dsl()}: borrowed through {@link SharedPool#acquire()}, so a
 * closed pool or a busy one fails with pgdbm's {@link ConnectionException} and its advice, as the plain-SQL
 * verbs do.
 */
final class PoolConnectionProvider implements ConnectionProvider {
    private final SharedPool pool;

    PoolConnectionProvider(SharedPool pool) {
        this.pool = pool;
    }

    @Override
    public Connection acquire() {
        return pool.acquire();
    }

    @Override
    public void release(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new ConnectionException("Could not give a connection back to pool " + pool.name(), e);
        }
    }
}
