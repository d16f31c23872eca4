package io.pgdbm.internal;

import io.pgdbm.Transaction;
import io.pgdbm.TransactionalCallable;
import io.pgdbm.TransactionalWork;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConnectionProvider;

/** The verbs on one connection inside a transaction; nested transactions are savepoints. */
final class TransactionImpl extends Operations implements Transaction {
    private final Connection connection;
    private boolean active = true;
    private DSLContext dsl;

    private TransactionImpl(ManagerContext context, Connection connection) {
        super(context);
        this.connection = connection;
    }

    /** Begins, runs {@code work}, commits; rolls back and rethrows if {@code work} throws. */
    static <T> T runOutermost(ManagerContext context, Connection connection, TransactionalCallable<T> work)
            throws SQLException {
        if (!connection.getAutoCommit()) {
            // Already inside a transaction someone else owns (a framework-managed or test transaction):
            // join it with a savepoint and leave commit and rollback to its owner.
            return new TransactionImpl(context, connection).transactionResult(work);
        }
        connection.setAutoCommit(false);
        TransactionImpl tx = new TransactionImpl(context, connection);
        try {
            T result;
            try {
                result = work.run(tx);
            } catch (RuntimeException | Error e) {
                rollbackAfter(connection, e);
                throw e;
            } finally {
                tx.active = false;
            }
            connection.commit();
            return result;
        } finally {
            resetAutoCommit(connection);
        }
    }

    private static void rollbackAfter(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    private static void resetAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // a broken connection is evicted by the pool when it is returned
        }
    }

    @Override
    protected <T> T onConnection(ConnectionWork<T> work) throws SQLException {
        checkActive();
        return work.run(connection);
    }

    private void checkActive() {
        if (!active) {
            throw new IllegalStateException(
                    "This transaction has already committed or rolled back; use the Transaction only inside its work");
        }
    }

    @Override
    public void transaction(TransactionalWork work) {
        transactionResult(tx -> {
            work.run(tx);
            return null;
        });
    }

    @Override
    public <T> T transactionResult(TransactionalCallable<T> work) {
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
            connection.releaseSavepoint(savepoint);
            return result;
        } catch (RuntimeException | Error e) {
            try {
                connection.rollback(savepoint);
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } catch (SQLException e) {
            throw Errors.statementFailed(e, "RELEASE SAVEPOINT", new Object[0], context.config());
        } finally {
            nested.active = false;
        }
    }

    @Override
    public DSLContext dsl() {
        checkActive();
        if (dsl == null) {
            dsl = DSL.using(context.jooq().derive(new DefaultConnectionProvider(connection)));
        }
        return dsl;
    }

    @Override
    public Connection connection() {
        checkActive();
        return connection;
    }
}
