package com.example.app;

/** A tenant request the app refuses. */
public class TenantException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        INVALID_NAME,
        DUPLICATE,
        UNKNOWN
    }

    private final Reason reason;

    public TenantException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
