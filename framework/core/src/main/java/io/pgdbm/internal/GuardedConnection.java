package io.pgdbm.internal;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.postgresql.core.BaseConnection;

/**
 * One borrow of a pooled connection. Records what the borrow's statements may change in the session
 * (see {@link StatementEffects}) and hands the connection to its {@link SessionGuard} on {@link #close()},
 * before it goes back to the pool.
 *
 * <p>Statements prepared here are classified by their text. Anything whose SQL this class cannot see — a
 * plain {@code Statement}, a stored procedure call, pgJDBC's own API reached through {@link #unwrap} —
 * counts as possibly changing anything, and the connection is reset in full when it goes back.
 */
final class GuardedConnection implements Connection {
    private final Connection delegate;
    private final SessionGuard guard;
    private int effects;
    private boolean broken;
    private boolean closed;
    /** While a pgdbm transaction owns this connection, its commit, rollback and close are pgdbm's alone. */
    private boolean ownedByTransaction;

    GuardedConnection(Connection delegate, SessionGuard guard) {
        this.delegate = delegate;
        this.guard = guard;
    }

    Connection delegate() {
        return delegate;
    }

    SessionGuard guard() {
        return guard;
    }

    void note(int statementEffects) {
        effects |= statementEffects;
    }

    void markBroken() {
        broken = true;
    }

    void ownedByTransaction(boolean owned) {
        ownedByTransaction = owned;
    }

    private void refuseWhileOwned(String what) throws SQLException {
        if (ownedByTransaction) {
            throw new SQLException(
                    what + " is refused: this connection belongs to a pgdbm transaction, which commits when its work"
                            + " returns and rolls back when the work throws. Use tx.transaction(...) for a part that"
                            + " may fail on its own.",
                    "25000");
        }
    }

    private void classified(String sql) throws SQLException {
        int statementEffects = guard.effectsOf(sql);
        guard.admit(statementEffects, SessionGuard.describe(sql));
        effects |= statementEffects;
    }

    @Override
    public void close() throws SQLException {
        refuseWhileOwned("close()");
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (effects != StatementEffects.NONE || broken) {
                guard.release(delegate, effects, broken);
            }
        } finally {
            delegate.close();
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed || delegate.isClosed();
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        refuseWhileOwned("abort()");
        closed = true;
        delegate.abort(executor);
    }

    // ---- statements: classified by their text, or counted as unknown ----

    @Override
    public Statement createStatement() throws SQLException {
        effects |= StatementEffects.UNKNOWN;
        return delegate.createStatement();
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        effects |= StatementEffects.UNKNOWN;
        return delegate.createStatement(resultSetType, resultSetConcurrency);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        effects |= StatementEffects.UNKNOWN;
        return delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        classified(sql);
        return delegate.prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        classified(sql);
        return delegate.prepareStatement(sql, resultSetType, resultSetConcurrency);
    }

    @Override
    public PreparedStatement prepareStatement(
            String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        classified(sql);
        return delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        classified(sql);
        return delegate.prepareStatement(sql, autoGeneratedKeys);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        classified(sql);
        return delegate.prepareStatement(sql, columnIndexes);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        classified(sql);
        return delegate.prepareStatement(sql, columnNames);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        effects |= StatementEffects.UNKNOWN;
        return delegate.prepareCall(sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        effects |= StatementEffects.UNKNOWN;
        return delegate.prepareCall(sql, resultSetType, resultSetConcurrency);
    }

    @Override
    public CallableStatement prepareCall(
            String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        effects |= StatementEffects.UNKNOWN;
        return delegate.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    // ---- session state set through JDBC: pgJDBC sends SQL for these ----

    @Override
    public void setSchema(String schema) throws SQLException {
        // Straight to pgJDBC: HikariCP would "restore" search_path to its idea of the schema after our reset.
        guard.admit(StatementEffects.SESSION, "setSchema(\"" + schema + "\")");
        effects |= StatementEffects.SESSION;
        delegate.unwrap(BaseConnection.class).setSchema(schema);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        effects |= StatementEffects.SESSION;
        delegate.setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        effects |= StatementEffects.SESSION;
        delegate.setClientInfo(properties);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return (T) this;
        }
        // The caller gets pgJDBC's own API (COPY, LISTEN, large objects …): anything may follow.
        effects |= StatementEffects.UNKNOWN;
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    // ---- plain delegation: JDBC-level state that HikariCP restores itself ----

    @Override
    public String nativeSQL(String sql) throws SQLException {
        return delegate.nativeSQL(sql);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        refuseWhileOwned("setAutoCommit(" + autoCommit + ")");
        delegate.setAutoCommit(autoCommit);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return delegate.getAutoCommit();
    }

    @Override
    public void commit() throws SQLException {
        refuseWhileOwned("commit()");
        delegate.commit();
    }

    @Override
    public void rollback() throws SQLException {
        refuseWhileOwned("rollback()");
        delegate.rollback();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return delegate.getMetaData();
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        delegate.setReadOnly(readOnly);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return delegate.isReadOnly();
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        delegate.setCatalog(catalog);
    }

    @Override
    public String getCatalog() throws SQLException {
        return delegate.getCatalog();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        delegate.setTransactionIsolation(level);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return delegate.getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return delegate.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        delegate.clearWarnings();
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return delegate.getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        delegate.setTypeMap(map);
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        delegate.setHoldability(holdability);
    }

    @Override
    public int getHoldability() throws SQLException {
        return delegate.getHoldability();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return delegate.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return delegate.setSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        delegate.rollback(savepoint);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        delegate.releaseSavepoint(savepoint);
    }

    @Override
    public Clob createClob() throws SQLException {
        return delegate.createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return delegate.createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return delegate.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return delegate.createSQLXML();
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        return delegate.isValid(timeout);
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        return delegate.getClientInfo(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return delegate.getClientInfo();
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return delegate.createArrayOf(typeName, elements);
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return delegate.createStruct(typeName, attributes);
    }

    @Override
    public String getSchema() throws SQLException {
        return delegate.getSchema();
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        delegate.setNetworkTimeout(executor, milliseconds);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return delegate.getNetworkTimeout();
    }

    @Override
    public String toString() {
        return "GuardedConnection[" + delegate + "]";
    }
}
