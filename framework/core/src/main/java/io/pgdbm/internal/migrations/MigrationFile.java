package io.pgdbm.internal.migrations;

/**
 * One migration file as found on disk or on the class path.
 *
 * @param fileName the file's own name, e.g. {@code 001_initial.sql}; what users see in status and errors
 * @param version the version as written ({@code 001}, {@code 20240101.120000}, {@code 1.2}); null for a
 *     repeatable migration
 * @param description words from the name, underscores as spaces
 * @param text the file's text (the template, not rendered), BOM removed
 * @param checksum CRC32 over the text's lines without line endings (Flyway's algorithm)
 * @param transactional false when the file asks to run outside a transaction
 * @param location where it came from, for messages
 */
public record MigrationFile(
        String fileName,
        String version,
        String description,
        String text,
        int checksum,
        boolean transactional,
        String location) {

    public boolean repeatable() {
        return version == null;
    }
}
