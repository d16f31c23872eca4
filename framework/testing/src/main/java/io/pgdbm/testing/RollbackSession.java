package io.pgdbm.testing;

import io.pgdbm.SharedPool;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * {@link Isolation#ROLLBACK}: one connection for the test class, a transaction per test that is rolled
 * back at its end. Managers get the connection through a wrapped pool whose connections cannot commit,
 * close or leave the transaction; their {@code transaction(...)} calls become savepoints.
 */
final class RollbackSession implements AutoCloseable {
    private static final String START = "pgdbm_test_start";

    private final Connection physical;
    private final SharedPool pool;

    RollbackSession(TestDatabase database) {
        this.physical = database.pool().acquire();
        Connection pinned = (Connection) Proxy.newProxyInstance(
                RollbackSession.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close", "commit", "setAutoCommit" -> {
                            return null; // the test's transaction owns these
                        }
                        case "getAutoCommit" -> {
                            return false;
                        }
                        case "isClosed" -> {
                            return physical.isClosed();
                        }
                        case "rollback" -> {
                            if (args == null || args.length == 0) {
                                execute("ROLLBACK TO SAVEPOINT " + START);
                                return null;
                            }
                        }
                        default -> {
                            // pass through below
                        }
                    }
                    try {
                        return method.invoke(physical, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        this.pool =
                SharedPool.wrap(new PinnedDataSource(pinned), database.config().build());
    }

    SharedPool pool() {
        return pool;
    }

    void begin() {
        try {
            physical.setAutoCommit(false);
            execute("SAVEPOINT " + START);
        } catch (SQLException e) {
            throw new IllegalStateException("could not begin the test's transaction", e);
        }
    }

    void rollback() {
        try {
            physical.rollback();
            physical.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("could not roll back the test's transaction", e);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = physical.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        pool.close();
        physical.close();
    }

    /** Hands out the one pinned connection. */
    private record PinnedDataSource(Connection connection) implements DataSource {
        @Override
        public Connection getConnection() {
            return connection;
        }

        @Override
        public Connection getConnection(String username, String password) {
            return connection;
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // not used
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // not used
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
