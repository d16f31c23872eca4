package io.pgdbm.migrations;

import java.util.List;
import java.util.Optional;

/**
 * What {@link MigrationManager#applyPending()} would run now, with the SQL as it would be sent: a dry run.
 *
 * @param module the module name
 * @param schema the schema
 * @param steps the migrations that would run, in order
 */
public record MigrationPlan(String module, String schema, List<Step> steps) {

    public MigrationPlan {
        steps = List.copyOf(steps);
    }

    /**
     * One migration that would run.
     *
     * @param version empty for a repeatable migration
     * @param description words from the file name
     * @param file the file's name
     * @param transactional false for files marked {@code -- pgdbm:no-transaction}
     * @param sql the file's SQL with templates expanded for the schema
     */
    public record Step(Optional<String> version, String description, String file, boolean transactional, String sql) {}

    public boolean isEmpty() {
        return steps.isEmpty();
    }
}
