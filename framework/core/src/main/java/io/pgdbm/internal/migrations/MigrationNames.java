package io.pgdbm.internal.migrations;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a version and description from pgdbm and Flyway file names. */
final class MigrationNames {
    /** pgdbm: {@code 20240101_120000_add_users.sql} (date and time of day). */
    private static final Pattern TIMESTAMP = Pattern.compile("(\\d{8})_(\\d{6})_(.+)\\.sql");
    /** pgdbm: {@code 001_initial.sql}. */
    private static final Pattern NUMBERED = Pattern.compile("(\\d+)_(.+)\\.sql");
    /** Flyway: {@code V1__initial.sql}, {@code V1.2__x.sql}, {@code V1_2__x.sql}. */
    private static final Pattern FLYWAY_VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__(.+)\\.sql");
    /** Flyway: {@code R__views.sql}. */
    private static final Pattern FLYWAY_REPEATABLE = Pattern.compile("R__(.+)\\.sql");

    /** What a name says; {@code version} is null for repeatables. */
    record Parsed(String version, String description) {}

    private MigrationNames() {}

    /**
     * Parses {@code fileName}.
     *
     * @throws IllegalArgumentException with advice when the name fits no pattern
     */
    static Parsed parse(String fileName) {
        Matcher m = TIMESTAMP.matcher(fileName);
        if (m.matches()) {
            return new Parsed(m.group(1) + "." + m.group(2), describe(m.group(3)));
        }
        m = NUMBERED.matcher(fileName);
        if (m.matches()) {
            return new Parsed(m.group(1), describe(m.group(2)));
        }
        m = FLYWAY_VERSIONED.matcher(fileName);
        if (m.matches()) {
            return new Parsed(m.group(1).replace('_', '.'), describe(m.group(2)));
        }
        m = FLYWAY_REPEATABLE.matcher(fileName);
        if (m.matches()) {
            return new Parsed(null, describe(m.group(1)));
        }
        if (fileName.startsWith("U") && fileName.contains("__")) {
            throw new IllegalArgumentException("undo migrations (" + fileName + ") are not supported: write a new"
                    + " migration that reverses the change");
        }
        throw new IllegalArgumentException("cannot tell the version of " + fileName + ": name migrations"
                + " NNN_description.sql, YYYYMMDD_HHMMSS_description.sql, V<version>__<description>.sql or"
                + " R__<description>.sql");
    }

    private static String describe(String words) {
        return words.replace('_', ' ').strip();
    }
}
