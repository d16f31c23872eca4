package io.pgdbm.internal.migrations;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a version and description from pgdbm and Flyway file names.
 *
 * <p>pgdbm's names: {@code 001_initial.sql} (version {@code 001}), {@code 20240101_120000_add_users.sql}
 * (version {@code 20240101.120000}), and any other name, such as {@code custom_name.sql} (version {@code
 * custom_name}): pgdbm applies those too. Flyway's: {@code V1__initial.sql}, {@code V1.2__x.sql} and {@code
 * R__views.sql}. Numbered files apply in numeric order; files without a number apply after them, in name
 * order (pgdbm's order: it sorts file names, and digits sort before letters).
 */
final class MigrationNames {
    /** pgdbm: {@code 20240101_120000_add_users.sql} (date and time of day). */
    private static final Pattern TIMESTAMP = Pattern.compile("(\\d{8})_(\\d{6})_(.+)\\.sql");
    /** pgdbm: {@code 001_initial.sql}, and {@code 001.sql}. */
    private static final Pattern NUMBERED = Pattern.compile("(\\d+)(?:_(.+))?\\.sql");
    /** Flyway: {@code V1__initial.sql}, {@code V1.2__x.sql}, {@code V1_2__x.sql}. */
    private static final Pattern FLYWAY_VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__(.+)\\.sql");
    /** Flyway: {@code R__views.sql}. */
    private static final Pattern FLYWAY_REPEATABLE = Pattern.compile("R__(.+)\\.sql");
    /** Flyway's undo migrations: down files, run by {@code MigrationManager.rollback}. */
    private static final Pattern FLYWAY_UNDO = Pattern.compile("U\\d+(?:[._]\\d+)*__.+\\.sql");

    /**
     * What a name says.
     *
     * @param version the version to show: as written, the name itself for a named file, null for a
     *     repeatable one
     * @param flywayVersion the version Flyway orders by; null for repeatable and named files
     * @param description words from the name (the name itself for a named file, so that they sort as names)
     * @param named a pgdbm file without a number: applied once, after the numbered ones, in name order
     */
    record Parsed(String version, String flywayVersion, String description, boolean named) {}

    private MigrationNames() {}

    /**
     * Parses {@code fileName}.
     *
     * @throws IllegalArgumentException with advice when the name is an undo migration
     */
    static Parsed parse(String fileName) {
        Matcher m = TIMESTAMP.matcher(fileName);
        if (m.matches()) {
            String version = m.group(1) + "." + m.group(2);
            return new Parsed(version, version, describe(m.group(3)), false);
        }
        m = NUMBERED.matcher(fileName);
        if (m.matches()) {
            String description = m.group(2) == null ? m.group(1) : describe(m.group(2));
            return new Parsed(m.group(1), m.group(1), description, false);
        }
        m = FLYWAY_VERSIONED.matcher(fileName);
        if (m.matches()) {
            String version = m.group(1).replace('_', '.');
            return new Parsed(version, version, describe(m.group(2)), false);
        }
        m = FLYWAY_REPEATABLE.matcher(fileName);
        if (m.matches()) {
            return new Parsed(null, null, describe(m.group(1)), false);
        }
        if (FLYWAY_UNDO.matcher(fileName).matches()) {
            // read as down files (MigrationSource.loadDown), never as migrations
            throw new IllegalArgumentException(fileName + " is an undo file, not a migration");
        }
        String stem = fileName.substring(0, fileName.length() - ".sql".length());
        return new Parsed(stem, null, stem, true);
    }

    private static String describe(String words) {
        return words.replace('_', ' ').strip();
    }
}
