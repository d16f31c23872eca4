package io.pgdbm.internal;

import io.pgdbm.PgdbmException;
import io.pgdbm.TransactionCallback;
import java.sql.Connection;
import java.sql.SQLException;
import org.jooq.DSLContext;

/** A manager's verbs: each call borrows a pooled connection and gives it back. */
public final class PoolOperations extends Operations {

    public PoolOperations(ManagerContext context) {
        super(context);
    }

    @Override
    protected <T> T onConnection(ConnectionWork<T> work) throws SQLException {
        try (Connection connection = context.borrow()) {
            return work.run(connection);
        }
    }

    @Override
    public <T, X extends Exception> T transactionResult(TransactionCallback<T, X> work) throws X {
        Connection connection = context.borrow();
        try {
            return TransactionImpl.runOutermost(context, connection, work);
        } finally {
            giveBack(connection);
        }
    }

    /** Returns a connection to the pool; a failure there cannot undo what the transaction did, so it is logged. */
    private static void giveBack(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            org.slf4j.LoggerFactory.getLogger(PoolOperations.class)
                    .warn("Giving a connection back to the pool failed: {}", e.getMessage());
        }
    }

    @Override
    public DSLContext dsl() {
        return context.dsl();
    }

    /** Creates the manager's schema unless it exists; safe when several processes race to create it. */
    public void ensureSchema() {
        String schema = context.schema();
        if (schema == null) {
            return;
        }
        try {
            executeRaw("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
        } catch (PgdbmException e) {
            // Two concurrent CREATE SCHEMA IF NOT EXISTS can collide on the catalog's unique index.
            if (!(e.getCause() instanceof SQLException sql) || !isDuplicate(sql.getSQLState())) {
                throw e;
            }
        }
    }

    private static boolean isDuplicate(String state) {
        return "23505".equals(state) || "42P06".equals(state);
    }
}
