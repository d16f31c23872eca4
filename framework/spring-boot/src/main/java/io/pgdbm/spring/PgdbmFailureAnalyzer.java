package io.pgdbm.spring;

import io.pgdbm.ErrorCode;
import io.pgdbm.PgdbmException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a pgdbm failure at start-up into Spring Boot's "APPLICATION FAILED TO START" report, with advice. */
public final class PgdbmFailureAnalyzer extends AbstractFailureAnalyzer<PgdbmException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PgdbmException cause) {
        return new FailureAnalysis("pgdbm: " + cause.getMessage(), action(cause.code()), cause);
    }

    private static String action(ErrorCode code) {
        return switch (code) {
            case CONFIGURATION ->
                "Do what the description above says: fix the pgdbm.* setting it names (pgdbm.url,"
                        + " pgdbm.modules.<name>.*), the bean, or the dependency version.";
            case CONNECTION -> "Check that PostgreSQL is running and that pgdbm.url (or DATABASE_URL) points at it.";
            case IDENTIFIER -> "Use schema and module names of letters, digits and underscores.";
            case MIGRATION ->
                "Fix the migration named above and start again; nothing of the failed file was applied."
                        + " To start without the module, set pgdbm.modules.<name>.enabled=false.";
            case QUERY -> "Fix the SQL named above.";
        };
    }
}
