package io.pgdbm.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A pool's data source as a lease of it sees it ({@code SharedPool.lease()}): it refuses connections once the
 * lease has ended, while the pool behind it stays open for others.
 */
public final class LeasedDataSource implements DataSource {
    private final DataSource target;
    private final BooleanSupplier ended;
    private final String poolName;

    public LeasedDataSource(DataSource target, BooleanSupplier ended, String poolName) {
        this.target = target;
        this.ended = ended;
        this.poolName = poolName;
    }

    /** The pool's own data source. */
    public DataSource target() {
        return target;
    }

    private void check() throws SQLException {
        if (ended.getAsBoolean()) {
            throw new SQLException(
                    "Pool " + poolName + " is closed (this lease of it ended); no connection can be borrowed from it",
                    "08003");
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        check();
        return target.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        check();
        return target.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "LeasedDataSource[" + poolName + "]";
    }
}
