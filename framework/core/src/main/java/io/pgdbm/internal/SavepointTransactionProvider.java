package io.pgdbm.internal;

import io.pgdbm.QueryException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import org.jooq.Transaction;
import org.jooq.TransactionContext;
import org.jooq.TransactionProvider;
import org.jooq.exception.DataAccessException;
import org.postgresql.core.TransactionState;

/**
 * jOOQ's {@code transaction(…)} on a pgdbm transaction's {@code dsl()}: a savepoint on the transaction's
 * connection. jOOQ's default provider would commit the connection at the end of its outermost
 * transaction, committing pgdbm's transaction behind its back.
 */
final class SavepointTransactionProvider implements TransactionProvider {
    private final Connection connection;

    SavepointTransactionProvider(Connection connection) {
        this.connection = connection;
    }

    private record SavepointTransaction(Savepoint savepoint) implements Transaction {}

    @Override
    public void begin(TransactionContext ctx) {
        try {
            ctx.transaction(new SavepointTransaction(connection.setSavepoint()));
        } catch (SQLException e) {
            throw new DataAccessException("Could not set a savepoint: " + e.getMessage(), e);
        }
    }

    @Override
    public void commit(TransactionContext ctx) {
        try {
            if (SessionGuard.pgConnection(connection).getTransactionState() == TransactionState.FAILED) {
                throw new QueryException(
                        "The savepoint was rolled back: a statement inside dsl().transaction(…) failed and its work"
                                + " carried on. Let the failure propagate out of the nested work.",
                        "25P02",
                        "RELEASE SAVEPOINT",
                        List.of(),
                        null);
            }
            connection.releaseSavepoint(savepoint(ctx));
        } catch (SQLException e) {
            throw new DataAccessException("Could not release a savepoint: " + e.getMessage(), e);
        }
    }

    @Override
    public void rollback(TransactionContext ctx) {
        Savepoint savepoint = ctx.transaction() instanceof SavepointTransaction tx ? tx.savepoint() : null;
        if (savepoint == null) {
            return; // begin() failed: nothing to undo
        }
        try {
            connection.rollback(savepoint);
        } catch (SQLException e) {
            throw new DataAccessException("Could not roll back to a savepoint: " + e.getMessage(), e);
        }
    }

    private static Savepoint savepoint(TransactionContext ctx) {
        return ((SavepointTransaction) ctx.transaction()).savepoint();
    }
}
