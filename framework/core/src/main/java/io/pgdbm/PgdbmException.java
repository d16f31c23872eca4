package io.pgdbm;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The root of every exception pgdbm throws. It is unchecked; {@link #code()} says what kind of failure
 * it is, and the message says what failed, with its context, and what to do about it. Messages never
 * contain a password.
 *
 * <p>jOOQ's own {@code DataAccessException}s from {@link DatabaseManager#dsl()} are not re-wrapped.
 */
public class PgdbmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public PgdbmException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public PgdbmException(ErrorCode code, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The kind of failure, for programs that react to it (and for the CLI's exit status). */
    public ErrorCode code() {
        return code;
    }
}
