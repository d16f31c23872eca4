package io.pgdbm.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A HikariCP pool whose connections are watched by a {@link SessionGuard} while they are borrowed. */
final class GuardedDataSource implements DataSource {
    private final HikariDataSource pool;
    private final SessionGuard guard;

    GuardedDataSource(HikariDataSource pool, SessionGuard guard) {
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
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "GuardedDataSource[" + pool.getPoolName() + "]";
    }
}
