package io.pgdbm;

/**
 * What kind of failure a {@link PgdbmException} reports. The command line maps each code to its exit
 * status in one place; applications can switch on it instead of on exception classes.
 */
public enum ErrorCode {
    /** A setting is missing or invalid; fix the configuration. */
    CONFIGURATION,
    /** The server could not be reached, refused the login, or no pooled connection became free in time. */
    CONNECTION,
    /** A schema, table, column or module name is not a safe SQL identifier. */
    IDENTIFIER,
    /** A statement failed: bad SQL, a constraint violation, a timeout, wrong arguments. */
    QUERY,
    /** A migration could not be loaded, validated or applied. */
    MIGRATION
}
