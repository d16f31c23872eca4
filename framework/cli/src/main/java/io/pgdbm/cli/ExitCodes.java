package io.pgdbm.cli;

import io.pgdbm.ErrorCode;
import io.pgdbm.PgdbmException;
import picocli.CommandLine;

/**
 * The exit codes of {@code pgdbm}, mapped from exceptions in this one place.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><td>0</td><td>success</td></tr>
 *   <tr><td>1</td><td>any other failure (a query failed, a file could not be written, …)</td></tr>
 *   <tr><td>2</td><td>bad command line: unknown option, missing argument</td></tr>
 *   <tr><td>3</td><td>configuration: pgdbm.toml, environment variables, names</td></tr>
 *   <tr><td>4</td><td>connection: the server cannot be reached or refuses the login</td></tr>
 *   <tr><td>5</td><td>migration: a file failed, or the history does not match the files</td></tr>
 *   <tr><td>6</td><td>not confirmed: a destructive command was declined or needs {@code --yes}</td></tr>
 * </table>
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = CommandLine.ExitCode.USAGE;
    public static final int CONFIGURATION = 3;
    public static final int CONNECTION = 4;
    public static final int MIGRATION = 5;
    public static final int NOT_CONFIRMED = 6;

    private ExitCodes() {}

    /**
     * The exit code for a failure: pgdbm's failures by their {@link ErrorCode} (a new code does not compile
     * until it is mapped here), the command line's own by theirs.
     */
    public static int of(Throwable failure) {
        if (failure instanceof CliException cli) {
            return cli.exitCode();
        }
        if (failure instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        if (failure instanceof PgdbmException pgdbm) {
            return switch (pgdbm.code()) {
                case MIGRATION -> MIGRATION;
                case CONNECTION -> CONNECTION;
                case CONFIGURATION, IDENTIFIER -> CONFIGURATION;
                case QUERY -> FAILURE;
            };
        }
        return FAILURE;
    }
}
