package io.pgdbm.internal.migrations;

import io.pgdbm.internal.Masking;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway's logging, through SLF4J, with its chatter turned down: a module migrated into a hundred tenant
 * schemas would otherwise log "Database: …", "Environment: …" and baseline notices a hundred times.
 * Per-file progress ("Migrating schema … to version …") stays at INFO; warnings and errors are unchanged;
 * everything else moves to DEBUG, where it is still available. Flyway instantiates this class by name.
 */
public final class FlywayLogs implements LogCreator {

    @Override
    public Log createLogger(Class<?> type) {
        return new QuietLog(LoggerFactory.getLogger(type));
    }

    /**
     * Flyway logs statements ("Found statement at line 1: …") and URLs: password literals and URL passwords
     * are masked in every message. Exceptions are logged by their (masked) text, not their stack.
     */
    private record QuietLog(Logger logger) implements Log {
        private static String clean(String message) {
            return Masking.maskUrl(Masking.maskPasswordLiterals(message));
        }

        @Override
        public void debug(String message) {
            if (logger.isDebugEnabled()) {
                logger.debug(clean(message));
            }
        }

        @Override
        public void info(String message) {
            if (message.startsWith("Migrating schema")) {
                logger.info(clean(message));
            } else if (logger.isDebugEnabled()) {
                logger.debug(clean(message));
            }
        }

        @Override
        public void warn(String message) {
            logger.warn(clean(message));
        }

        @Override
        public void error(String message) {
            logger.error(clean(message));
        }

        @Override
        public void error(String message, Exception e) {
            logger.error(clean(message) + ": " + clean(String.valueOf(e)));
        }

        @Override
        public void notice(String message) {
            logger.info(clean(message));
        }
    }
}
