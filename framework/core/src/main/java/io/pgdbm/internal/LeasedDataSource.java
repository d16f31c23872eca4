package io.pgdbm.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * A pool's data source as a lease of it sees it ({@code SharedPool.lease()}): it refuses connections once the
 * lease has ended, while the pool behind it stays open for others.
 */
public final class LeasedDataSource extends ForwardingDataSource {
    private final BooleanSupplier ended;
    private final String poolName;

    public LeasedDataSource(DataSource target, BooleanSupplier ended, String poolName) {
        super(target);
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
    public String toString() {
        return "LeasedDataSource[" + poolName + "]";
    }
}
