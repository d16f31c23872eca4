package io.pgdbm.internal.migrations;

import io.pgdbm.internal.Masking;
import io.pgdbm.internal.SqlLexer;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.executor.Context;
import org.flywaydb.core.api.executor.MigrationExecutor;
import org.flywaydb.core.internal.jdbc.Results;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a transactional migration file in one round trip: its whole rendered text as one JDBC statement,
 * which pgJDBC sends as one pipeline (Flyway's own executor sends each statement and waits for its answer). Used
 * only for a file that runs in a transaction and copies nothing from STDIN, so that a failure rolls back all of
 * it; Flyway still drives the run, its transactions and its history.
 *
 * <p>A failure here does not say which statement failed. It ends the run with a {@link Failure}; the caller
 * runs the same migrations again with Flyway's statement-by-statement executor, which either names the failing
 * statement's line or, where the file needed Flyway's own parsing, applies it.
 */
final class WholeFileExecutor implements MigrationExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(WholeFileExecutor.class);

    /** The file failed as a whole; nothing of it (nor of the transaction it ran in) stays applied. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String fileName, SQLException cause) {
            super(fileName + " failed when run in one round trip; to be run statement by statement", cause);
        }
    }

    private final String sql;
    private final String fileName;

    WholeFileExecutor(String sql, String fileName) {
        this.sql = sql;
        this.fileName = fileName;
    }

    /**
     * Whether a file can run this way: it runs in one transaction, has no {@code COPY … FROM STDIN} data, and no
     * {@code BEGIN ATOMIC} routine body with semicolons in it (pgJDBC would split the statement there).
     */
    static boolean suits(String sql, boolean transactional) {
        if (!transactional) {
            return false;
        }
        String lower = sql.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("stdin")) {
            return false;
        }
        if (!lower.contains("begin")) {
            return true;
        }
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            if (kind == SqlLexer.Kind.PUNCTUATION && lexer.is(";") && lexer.inRoutineBody()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<Results> execute(Context context) {
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute(sql);
            for (SQLWarning warning = statement.getWarnings(); warning != null; warning = warning.getNextWarning()) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{}: {}", fileName, Masking.maskPasswordLiterals(String.valueOf(warning.getMessage())));
                }
            }
        } catch (SQLException e) {
            throw new Failure(fileName, e);
        }
        return List.of();
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public boolean shouldExecute() {
        return true;
    }

    /** Whether {@code e} (or a cause of it) is a whole-file failure. */
    static boolean failed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Failure) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
