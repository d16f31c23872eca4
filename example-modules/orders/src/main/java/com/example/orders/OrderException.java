package com.example.orders;

/** A request the orders module refuses; {@link #reason()} says why. */
public class OrderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a request was refused. */
    public enum Reason {
        UNKNOWN_USER,
        INVALID_AMOUNT,
        INVALID_DESCRIPTION,
        UNKNOWN_ORDER,
        NOT_INVOICEABLE
    }

    private final Reason reason;

    public OrderException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
