package io.pgdbm.internal;

import io.pgdbm.QueryException;
import io.pgdbm.Transaction;
import io.pgdbm.TransactionCallback;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConnectionProvider;
import org.postgresql.core.TransactionState;

/**
 * The verbs on one connection inside a transaction; nested transactions are savepoints.
 *
 * <p>Fail closed: the transaction (or savepoint) is kept only when its work returned normally and
 * nothing in it failed. Any {@link Throwable} — checked exceptions thrown sneakily included — rolls it
 * back and reaches the caller unchanged, with rollback failures attached as suppressed exceptions.
 */
final class TransactionImpl extends Operations implements Transaction {
    private final Connection connection;
    private boolean active = true;
    private DSLContext dsl;

    private TransactionImpl(ManagerContext context, Connection connection) {
        super(context);
        this.connection = connection;
    }

    /**
     * Begins, runs {@code work}, commits; rolls back and rethrows if {@code work} throws anything. Declares only
     * the work's own checked exception {@code X}: whatever the work throws (a sneaky {@code SQLException}
     * included) reaches the caller as it was thrown, and pgdbm's own JDBC failures are reported as pgdbm's
     * exceptions here.
     */
    static <T, X extends Exception> T runOutermost(
            ManagerContext context, Connection connection, TransactionCallback<T, X> work) throws X {
        try {
            if (!connection.getAutoCommit()) {
                // Already inside a transaction someone else owns (a framework-managed or test transaction):
                // join it with a savepoint and leave commit and rollback to its owner.
                return new TransactionImpl(context, connection).transactionResult(work);
            }
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw Errors.statementFailed(e, "BEGIN", new Object[0], context.config());
        }
        TransactionImpl tx = new TransactionImpl(context, connection);
        SessionGuard.ownedByTransaction(connection, true);
        try {
            T result = work.run(tx);
            tx.end();
            commit(connection);
            return result;
        } catch (Throwable failure) {
            tx.end();
            rollbackAfter(connection, failure);
            throw Throwables.rethrow(failure);
        } finally {
            restoreAutoCommit(connection);
        }
    }

    /**
     * Commits, unless a statement of the transaction failed and the work carried on: PostgreSQL would answer
     * the COMMIT with a rollback, and pgJDBC would report that as success.
     */
    private static void commit(Connection connection) {
        if (transactionState(connection) == TransactionState.FAILED) {
            throw new QueryException(
                    "The transaction was rolled back, not committed: a statement in it failed and the work carried"
                            + " on (it caught the failure and returned normally). Let the failure propagate, or run"
                            + " the statement that may fail in tx.transaction(...), which rolls back only its own"
                            + " work.",
                    "25P02",
                    "COMMIT",
                    List.of(),
                    null);
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            throw new QueryException(
                    "COMMIT failed, so the transaction was rolled back: " + e.getMessage()
                            + (e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]"),
                    e.getSQLState(),
                    "COMMIT",
                    List.of(),
                    e);
        }
    }

    private static TransactionState transactionState(Connection connection) {
        try {
            return SessionGuard.pgConnection(connection).getTransactionState();
        } catch (SQLException e) {
            throw new io.pgdbm.ConnectionException("Could not read the state of the transaction's connection", e);
        }
    }

    private static void rollbackAfter(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
            SessionGuard.markBroken(connection);
        }
    }

    /**
     * Back to autocommit, which pgJDBC does by committing whatever is open: so only from a clean state. A
     * connection whose transaction could not be ended is evicted from the pool instead.
     */
    private static void restoreAutoCommit(Connection connection) {
        try {
            if (transactionState(connection) != TransactionState.IDLE) {
                SessionGuard.markBroken(connection);
                return;
            }
            connection.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            SessionGuard.markBroken(connection);
        }
    }

    /** The work is over: the transaction object stops working and the connection is pgdbm's to end. */
    private void end() {
        active = false;
        SessionGuard.ownedByTransaction(connection, false);
    }

    @Override
    protected <T> T onConnection(ConnectionWork<T> work) throws SQLException {
        checkActive();
        return work.run(connection);
    }

    @Override
    protected void checkStatement(StatementCache.Entry entry) {
        checkActive();
        if ((entry.effects() & StatementEffects.TRANSACTION_CONTROL) != 0) {
            throw new QueryException(
                    "Statements that begin, commit or roll back a transaction cannot run inside transaction(...): it"
                            + " commits when its work returns and rolls back when the work throws. Use"
                            + " tx.transaction(...) for a part that may fail on its own (a savepoint).",
                    null,
                    Masking.truncateSql(entry.renderedSql()),
                    List.of(),
                    null);
        }
    }

    private void checkActive() {
        if (!active) {
            throw new IllegalStateException(
                    "This transaction has already committed or rolled back; use the Transaction only inside its work");
        }
    }

    @Override
    public <T, X extends Exception> T transactionResult(TransactionCallback<T, X> work) throws X {
        checkActive();
        Savepoint savepoint;
        try {
            savepoint = connection.setSavepoint();
        } catch (SQLException e) {
            throw Errors.statementFailed(e, "SAVEPOINT", new Object[0], context.config());
        }
        TransactionImpl nested = new TransactionImpl(context, connection);
        try {
            T result = work.run(nested);
            nested.active = false;
            release(savepoint);
            return result;
        } catch (Throwable failure) {
            nested.active = false;
            try {
                connection.rollback(savepoint);
            } catch (SQLException | RuntimeException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
            }
            throw Throwables.rethrow(failure);
        }
    }

    private void release(Savepoint savepoint) {
        if (transactionState(connection) == TransactionState.FAILED) {
            throw new QueryException(
                    "The savepoint was rolled back: a statement inside tx.transaction(...) failed and its work carried"
                            + " on (it caught the failure and returned normally). Let the failure propagate out of"
                            + " the nested work.",
                    "25P02",
                    "RELEASE SAVEPOINT",
                    List.of(),
                    null);
        }
        try {
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            throw Errors.statementFailed(e, "RELEASE SAVEPOINT", new Object[0], context.config());
        }
    }

    @Override
    public DSLContext dsl() {
        checkActive();
        if (dsl == null) {
            dsl = DSL.using(context.jooq()
                    .derive(new DefaultConnectionProvider(connection))
                    // jOOQ's own transaction() on this context is a savepoint, never a COMMIT of ours
                    .derive(new SavepointTransactionProvider(connection)));
        }
        return dsl;
    }

    @Override
    public Connection connection() {
        checkActive();
        return connection;
    }
}
