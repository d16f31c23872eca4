package io.pgdbm;

import org.jspecify.annotations.Nullable;

/**
 * The server could not be reached, refused the login, or the pool had no free connection within the
 * acquire timeout. The message includes the pool's statistics where a pool was involved.
 */
public class ConnectionException extends PgdbmException {
    private static final long serialVersionUID = 1L;

    public ConnectionException(String message, @Nullable Throwable cause) {
        super(ErrorCode.CONNECTION, message, cause);
    }
}
