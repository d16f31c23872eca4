package io.pgdbm.migrations;

import java.time.Duration;
import java.util.List;

/**
 * What {@link MigrationManager#applyPending()} did.
 *
 * @param module the module name
 * @param schema the schema migrated
 * @param status whether anything ran
 * @param applied the migrations applied now, in order
 * @param elapsed the whole call, lock and checks included
 */
public record MigrationResult(
        String module, String schema, Status status, List<AppliedMigration> applied, Duration elapsed) {

    /** The outcome of a run. */
    public enum Status {
        /** Pending migrations were applied. */
        APPLIED,
        /** Everything was applied already; nothing ran. */
        UP_TO_DATE,
        /** The location holds no migrations; nothing was created. */
        NO_MIGRATIONS
    }

    public MigrationResult {
        applied = List.copyOf(applied);
    }
}
