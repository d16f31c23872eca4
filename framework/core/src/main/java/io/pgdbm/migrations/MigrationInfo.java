package io.pgdbm.migrations;

import java.time.Instant;
import java.util.Optional;

/**
 * One line of {@link MigrationManager#status()}: a migration file, an applied migration, or both.
 *
 * @param version empty for repeatable migrations
 * @param description words from the file name
 * @param file the file's name (as recorded when applied, for a missing file)
 * @param state where it stands
 * @param checksum the file's checksum now; empty when the file is missing
 * @param appliedChecksum the checksum recorded when it was applied; empty when not applied
 * @param appliedAt when it was applied
 * @param executionTimeMillis how long it took to apply
 */
public record MigrationInfo(
        Optional<String> version,
        String description,
        String file,
        State state,
        Optional<Integer> checksum,
        Optional<Integer> appliedChecksum,
        Optional<Instant> appliedAt,
        Optional<Integer> executionTimeMillis) {

    /** Where a migration stands. */
    public enum State {
        /** Applied, and the file is unchanged. */
        APPLIED,
        /** Not applied yet (or, for a repeatable migration, changed since it last ran). */
        PENDING,
        /** Applied, but the file changed since; {@link MigrationManager#validate()} fails until repaired. */
        CHANGED,
        /** It failed outside a transaction and left a failed entry; clean up, then {@link MigrationManager#repair()}. */
        FAILED,
        /** Applied, but the file is gone. */
        MISSING
    }
}
