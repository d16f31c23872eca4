package io.pgdbm.internal;

import io.pgdbm.ConnectionException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.jooq.ConnectionProvider;

/**
 * jOOQ's connections for a manager's {@code dsl()}: borrowed through {@code SharedPool.acquire()}, so a
 * closed pool or a busy one fails with pgdbm's {@link ConnectionException} and its advice, as the plain-SQL
 * verbs do.
 */
final class PoolConnectionProvider implements ConnectionProvider {
    private final Supplier<Connection> borrow;
    private final String poolName;

    PoolConnectionProvider(Supplier<Connection> borrow, String poolName) {
        this.borrow = borrow;
        this.poolName = poolName;
    }

    @Override
    public Connection acquire() {
        return borrow.get();
    }

    @Override
    public void release(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new ConnectionException("Could not give a connection back to pool " + poolName, e);
        }
    }
}
