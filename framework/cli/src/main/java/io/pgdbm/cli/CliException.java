package io.pgdbm.cli;

/** A failure the CLI reports as one message, with its exit code ({@link ExitCodes}). */
public class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** A problem with pgdbm.toml, the environment or a name. */
    public static CliException config(String message) {
        return new CliException(ExitCodes.CONFIGURATION, message);
    }
}
