package io.pgdbm.internal.migrations;

import org.flywaydb.core.api.MigrationVersion;

/**
 * One migration file as found on disk or on the class path.
 *
 * @param fileName the file's own name, e.g. {@code 001_initial.sql}; what users see in status and errors
 * @param version the version as written ({@code 001}, {@code 20240101.120000}, {@code 1.2}), the name of a
 *     pgdbm file without a number ({@code custom_name}); null for a Flyway repeatable migration
 * @param flywayVersion the version Flyway orders by; null for repeatable and named files
 * @param description words from the name, underscores as spaces (a named file's name as it is)
 * @param named a pgdbm file without a number: applied once, after numbered files, in name order; a change
 *     after it was applied is an error, as for numbered files
 * @param text the file's text (the template, not rendered), BOM removed: what the checksum is taken over
 * @param sql the template to execute: {@code text}, or {@code text} without a {@code BEGIN … COMMIT}
 *     wrapper, each line where it was
 * @param checksum CRC32 over the text with line endings made uniform ({@link MigrationSource#checksum})
 * @param legacyChecksum the checksum earlier releases recorded (line breaks ignored); accepted once and
 *     re-recorded
 * @param transactional false when the file asks to run outside a transaction
 * @param location where it came from, for messages
 */
public record MigrationFile(
        String fileName,
        String version,
        String flywayVersion,
        String description,
        boolean named,
        String text,
        String sql,
        int checksum,
        int legacyChecksum,
        boolean transactional,
        String location) {

    /** Whether Flyway sees this file as repeatable: a Flyway {@code R__} file, or a pgdbm named file. */
    public boolean repeatable() {
        return flywayVersion == null;
    }

    /** The version Flyway orders by; null when {@link #repeatable()}. */
    public MigrationVersion migrationVersion() {
        return flywayVersion == null ? null : MigrationVersion.fromVersion(flywayVersion);
    }
}
