package com.example.users;

/** A request the users module refuses; {@link #reason()} says why, for callers that map it (e.g. to HTTP). */
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a request was refused. */
    public enum Reason {
        INVALID_EMAIL,
        INVALID_NAME,
        DUPLICATE_EMAIL,
        UNKNOWN_USER
    }

    private final Reason reason;

    public UserException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
