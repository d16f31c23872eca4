package io.pgdbm;

/**
 * A schema, table, column, module or template name is not a safe SQL identifier. Thrown before any
 * SQL reaches the server. Identifiers must match {@code [A-Za-z_][A-Za-z0-9_]*} and be at most 63
 * characters long (PostgreSQL's limit).
 */
public class IdentifierException extends PgdbmException {
    private static final long serialVersionUID = 1L;

    public IdentifierException(String message) {
        super(ErrorCode.IDENTIFIER, message);
    }
}
