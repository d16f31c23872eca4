package io.pgdbm.internal;

import io.pgdbm.ConnectionException;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.PgdbmException;
import io.pgdbm.QueryException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Turns driver exceptions into pgdbm's, with context and without secrets. */
public final class Errors {
    private Errors() {}

    /**
     * The exception for a statement that failed: a {@link ConnectionException} when the connection was
     * lost, else a {@link QueryException} carrying SQLState, SQL and masked arguments.
     */
    public static PgdbmException statementFailed(SQLException e, String sql, Object[] args, DatabaseConfig config) {
        return statementFailed(e, sql, args, args, config);
    }

    /**
     * As {@link #statementFailed(SQLException, String, Object[], DatabaseConfig)}, showing {@code shownArgs}
     * and scrubbing the server's message of every value in {@code sentArgs}: a batch or a COPY sent many rows,
     * any of which the server may echo.
     */
    public static PgdbmException statementFailed(
            SQLException e, String sql, Object[] args, Object[] sentArgs, DatabaseConfig config) {
        String password = Masking.secret(config);
        String state = e.getSQLState();
        String serverMessage = Masking.scrubEchoedValues(Masking.scrubArguments(
                Masking.maskPasswordLiterals(Masking.scrub(String.valueOf(e.getMessage()), password)), sentArgs));
        SQLException cause = serverMessage.equals(String.valueOf(e.getMessage())) ? e : sanitized(e, serverMessage);
        String shownSql = Masking.scrub(Masking.truncateSql(sql), password);
        List<String> shownArgs = Masking.describeArguments(args, password);
        if (isConnectionLoss(state)) {
            return new ConnectionException(
                    "Lost the connection to PostgreSQL (" + config.hostsDescription() + ") while running: " + shownSql
                            + "\n  Cause: " + serverMessage + (state == null ? "" : " [SQLState " + state + "]")
                            + "\n  The pool replaces broken connections; retry the operation once the server is back.",
                    cause);
        }
        StringBuilder message = new StringBuilder(serverMessage);
        if (state != null) {
            message.append(" [SQLState ").append(state).append(']');
        }
        hint(state, serverMessage, config)
                .ifPresent(hint -> message.append("\n  Hint: ").append(hint));
        message.append("\n  SQL: ").append(shownSql);
        if (!shownArgs.isEmpty()) {
            message.append("\n  Arguments: ").append(shownArgs);
        }
        return new QueryException(message.toString(), state, shownSql, shownArgs, cause);
    }

    /**
     * A copy of a driver exception without the secret it echoed: a logged stack trace prints the cause's
     * message too. Keeps SQLState, vendor code and stack trace; drops the original (and its details).
     */
    private static SQLException sanitized(SQLException original, String scrubbedMessage) {
        SQLException copy = new SQLException(scrubbedMessage, original.getSQLState(), original.getErrorCode());
        copy.setStackTrace(original.getStackTrace());
        return copy;
    }

    static boolean isConnectionLoss(String state) {
        return state != null
                && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }

    private static Optional<String> hint(String state, String message, DatabaseConfig config) {
        if ("57014".equals(state) && message.contains("statement timeout")) {
            return Optional.of("statementTimeout is " + describe(config.statementTimeout())
                    + "; raise it in DatabaseConfig, or for one transaction with SET LOCAL statement_timeout = '…'");
        }
        if ("55P03".equals(state) && message.contains("lock timeout")) {
            return Optional.of("lockTimeout is " + describe(config.lockTimeout())
                    + "; another transaction holds the lock. Raise lockTimeout or shorten that transaction");
        }
        if ("42P01".equals(state)) {
            return Optional.of("the table does not exist in this schema: have the module's migrations run?"
                    + " Write {{tables.name}} so the name follows the manager's schema");
        }
        return Optional.empty();
    }

    private static String describe(Optional<Duration> duration) {
        return duration.map(d -> d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms")
                .orElse("disabled");
    }
}
