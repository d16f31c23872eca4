package io.pgdbm.migrations;

import io.pgdbm.ErrorCode;
import io.pgdbm.PgdbmException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A migration could not be loaded, validated or applied. Carries the module, the schema, the file and
 * the line where that is known, and the server's SQLState for SQL errors. The message says what happened
 * to the database (for a failed file: nothing of it stayed applied) and what to do.
 */
public class MigrationException extends PgdbmException {
    private static final long serialVersionUID = 1L;

    private final String module;
    private final @Nullable String schema;
    private final @Nullable String file;
    private final @Nullable Integer line;
    private final @Nullable String sqlState;

    /** A failure of a module's migrations as a whole, not of one file. */
    public MigrationException(String message, String module, @Nullable String schema) {
        this(message, module, schema, null, null, null, null);
    }

    public MigrationException(
            String message,
            String module,
            @Nullable String schema,
            @Nullable String file,
            @Nullable Integer line,
            @Nullable String sqlState,
            @Nullable Throwable cause) {
        super(ErrorCode.MIGRATION, message, cause);
        this.module = module;
        this.schema = schema;
        this.file = file;
        this.line = line;
        this.sqlState = sqlState;
    }

    /** The module whose migrations failed. */
    public String module() {
        return module;
    }

    public Optional<String> schema() {
        return Optional.ofNullable(schema);
    }

    /** The migration file's name, when one file is at fault. */
    public Optional<String> file() {
        return Optional.ofNullable(file);
    }

    /** The 1-based line in {@link #file()}, when known. */
    public Optional<Integer> line() {
        return Optional.ofNullable(line);
    }

    /** The server's SQLState, for SQL errors. */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }
}
