package io.pgdbm.internal;

import io.pgdbm.QueryException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.jooq.ConnectionProvider;
import org.jooq.TransactionContext;
import org.jooq.TransactionProvider;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DefaultTransactionProvider;
import org.postgresql.core.TransactionState;

/**
 * jOOQ's transactions on a manager's {@code dsl()}, with one check jOOQ's default provider lacks: a
 * transaction in which a statement failed (and the work caught it and returned) is not reported as
 * committed. PostgreSQL answers such a COMMIT with a rollback, which pgJDBC does not report.
 */
final class CheckedTransactionProvider implements TransactionProvider {
    private final DefaultTransactionProvider delegate;

    CheckedTransactionProvider(ConnectionProvider connections) {
        this.delegate = new DefaultTransactionProvider(connections, true);
    }

    @Override
    public void begin(TransactionContext ctx) {
        delegate.begin(ctx);
    }

    @Override
    public void commit(TransactionContext ctx) {
        Connection connection = ctx.configuration().connectionProvider().acquire();
        try {
            if (SessionGuard.pgConnection(connection).getTransactionState() == TransactionState.FAILED) {
                throw new QueryException(
                        "The transaction was rolled back, not committed: a statement in dsl().transaction(…) failed"
                                + " and the work carried on (it caught the failure and returned normally). Let the"
                                + " failure propagate, or run the statement that may fail in a nested transaction.",
                        "25P02",
                        "COMMIT",
                        List.of(),
                        null);
            }
        } catch (SQLException e) {
            throw new DataAccessException("Could not read the transaction's state: " + e.getMessage(), e);
        } finally {
            ctx.configuration().connectionProvider().release(connection);
        }
        delegate.commit(ctx);
    }

    @Override
    public void rollback(TransactionContext ctx) {
        delegate.rollback(ctx);
    }
}
