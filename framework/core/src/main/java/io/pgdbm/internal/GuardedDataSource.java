package io.pgdbm.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/** A HikariCP pool whose connections are watched by a {@link SessionGuard} while they are borrowed. */
final class GuardedDataSource extends ForwardingDataSource {
    private final HikariDataSource pool;
    private final SessionGuard guard;

    GuardedDataSource(HikariDataSource pool, SessionGuard guard) {
        super(pool);
        this.pool = pool;
        this.guard = guard;
    }

    SessionGuard guard() {
        return guard;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return new GuardedConnection(pool.getConnection(), guard);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException(
                "pgdbm's pool connects with its configured user; borrow with getConnection()");
    }

    @Override
    public String toString() {
        return "GuardedDataSource[" + pool.getPoolName() + "]";
    }
}
