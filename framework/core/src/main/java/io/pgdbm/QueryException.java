package io.pgdbm;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A statement failed, or could not be sent because its arguments do not fit its placeholders. Carries
 * the server's SQLState (when the server answered), the rendered SQL (truncated) and a description of the
 * arguments in which long values are shortened and secrets masked.
 */
public class QueryException extends PgdbmException {
    private static final long serialVersionUID = 1L;

    private final @Nullable String sqlState;
    private final @Nullable String sql;
    private final String[] parameters;

    /** A query that failed before any SQL was sent: a missing argument, a bad name, a wrong count. */
    public QueryException(String message) {
        this(message, null, null, null, null);
    }

    public QueryException(
            String message,
            @Nullable String sqlState,
            @Nullable String sql,
            @Nullable List<String> parameters,
            @Nullable Throwable cause) {
        super(ErrorCode.QUERY, message, cause);
        this.sqlState = sqlState;
        this.sql = sql;
        this.parameters = parameters == null ? new String[0] : parameters.toArray(String[]::new);
    }

    /** The five-character SQLState the server reported, e.g. {@code 23505}; empty when it did not answer. */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }

    /**
     * The SQL as sent to the server, after template expansion, truncated when long; empty when the failure
     * came before any SQL (arguments that do not fit, SQL that is not valid text).
     */
    public Optional<String> sql() {
        return Optional.ofNullable(sql);
    }

    /** The arguments as they appear in the message: text over 20 characters as its length, secrets masked. */
    public List<String> parameters() {
        return List.of(parameters);
    }
}
