package io.pgdbm.internal.migrations;

import io.pgdbm.DatabaseManager;
import io.pgdbm.internal.Errors;
import io.pgdbm.internal.Identifiers;
import io.pgdbm.migrations.MigrationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.api.MigrationVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A module's Flyway history table in its schema, as pgdbm reads it without Flyway: the rows, the fast path's
 * "exactly these files, applied" test, the re-recording of checksums taken by earlier releases, and the
 * check that an unnumbered file did not change after it ran.
 */
public final class HistoryTable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryTable.class);

    private final DatabaseManager db;
    private final String schema;
    private final String historyTable;
    private final String module;

    public HistoryTable(DatabaseManager db, String schema, String table, String module) {
        this.db = db;
        this.schema = schema;
        this.historyTable = table;
        this.module = module;
    }

    /** Whether the table exists (asked first: reading a missing table would log an ERROR on the server). */
    public boolean exists() {
        return db.fetchValue(
                        Boolean.class,
                        "SELECT to_regclass($1) IS NOT NULL",
                        Identifiers.quote(schema) + "." + Identifiers.quote(historyTable))
                .booleanValue();
    }

    /** One row of the history table. */
    public record Row(int rank, String version, String description, Integer checksum, boolean success, String type) {}

    /**
     * Its rows, in the order they were installed; empty when the table does not exist. The check every start-up
     * makes for every module, so it is kept small: one borrowed connection, plain JDBC, the table's existence asked
     * first (unless {@code knownToExist}: reading a missing table would log an ERROR on the server).
     */
    public Optional<List<Row>> readIfExists(boolean knownToExist) {
        String table = Identifiers.quote(schema) + "." + Identifiers.quote(historyTable);
        String sql = "SELECT to_regclass(?) IS NOT NULL";
        try (Connection connection = db.pool().acquire()) {
            if (!knownToExist) {
                try (PreparedStatement exists = connection.prepareStatement(sql)) {
                    exists.setString(1, table);
                    try (ResultSet result = exists.executeQuery()) {
                        if (!result.next() || !result.getBoolean(1)) {
                            return Optional.empty();
                        }
                    }
                }
            }
            sql = SELECT_ROWS + table + " ORDER BY installed_rank";
            List<Row> rows = new ArrayList<>();
            try (Statement select = connection.createStatement();
                    ResultSet result = select.executeQuery(sql)) {
                while (result.next()) {
                    rows.add(new Row(
                            result.getInt(1),
                            result.getString(2),
                            result.getString(3),
                            result.getObject(4, Integer.class),
                            result.getBoolean(5),
                            result.getString(6)));
                }
            }
            return Optional.of(rows);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                return Optional.empty(); // dropped since it was seen
            }
            throw Errors.statementFailed(e, sql, new Object[0], db.pool().config());
        }
    }

    private static final String SELECT_ROWS =
            "SELECT installed_rank, version, description, checksum, success, type FROM ";

    /** Its rows, in the order they were installed (none when the table is missing). */
    public List<Row> read() {
        return readIfExists(true).orElse(List.of());
    }

    /**
     * Earlier releases took checksums without line breaks. A row whose checksum is that older checksum of
     * the file as it is now records an unchanged file: its checksum is re-recorded in the current format,
     * once, saying so. Any other difference is left for validation to report.
     */
    public int realignLegacyChecksums(List<MigrationFile> files, List<Row> rows) {
        int realigned = 0;
        for (Row row : rows) {
            MigrationFile file = fileOf(files, row);
            if (file == null
                    || row.checksum() == null
                    || row.checksum() == file.checksum()
                    || row.checksum() != file.legacyChecksum()) {
                continue;
            }
            db.execute(
                    "UPDATE " + Identifiers.quote(schema) + "." + Identifiers.quote(historyTable)
                            + " SET checksum = $1 WHERE installed_rank = $2 AND checksum = $3",
                    file.checksum(),
                    row.rank(),
                    row.checksum());
            LOG.info(
                    "Module '{}' in schema {}: re-recorded the checksum of {} in the current format (the file is"
                            + " unchanged; earlier releases did not count line breaks)",
                    module,
                    schema,
                    file.fileName());
            realigned++;
        }
        return realigned;
    }

    /** The file a history row records, if any. */
    public static MigrationFile fileOf(List<MigrationFile> files, Row row) {
        for (MigrationFile file : files) {
            boolean matches = row.version() == null
                    ? file.repeatable() && file.description().equals(row.description())
                    : !file.repeatable() && file.migrationVersion().equals(MigrationVersion.fromVersion(row.version()));
            if (matches) {
                return file;
            }
        }
        return null;
    }

    /**
     * Refuses to run when a pgdbm file without a number changed after it was applied: Flyway would apply it
     * again (it carries such files as repeatable), while pgdbm, like for numbered files, refuses.
     */
    public void checkUnnumberedUnchanged(List<MigrationFile> files, List<Row> rows) {
        for (MigrationFile file : files) {
            if (!file.named()) {
                continue;
            }
            Row last = null;
            for (Row row : rows) {
                if (row.version() == null && file.description().equals(row.description()) && row.success()) {
                    last = row;
                }
            }
            if (last != null && last.checksum() != null && last.checksum() != file.checksum()) {
                throw new MigrationException(
                        "Migration " + file.fileName() + " of module '" + module + "' in schema " + schema
                                + " changed after it was applied (checksum applied " + last.checksum() + ", now "
                                + file.checksum() + "). Revert the file, or put the change in a new migration.",
                        module,
                        schema,
                        file.fileName(),
                        null,
                        null,
                        null);
            }
        }
    }

    /**
     * The fast path's test: every file is in the history with its checksum and succeeded, and the history holds
     * nothing else (baseline and schema rows aside).
     */
    public static boolean matchesFiles(List<MigrationFile> files, List<Row> rows) {
        Map<MigrationVersion, Integer> versioned = new HashMap<>();
        Map<String, Integer> repeatable = new HashMap<>();
        for (Row row : rows) {
            if ("BASELINE".equals(row.type()) || "SCHEMA".equals(row.type())) {
                continue;
            }
            if (!row.success()) {
                return false;
            }
            if (row.version() == null) {
                repeatable.put(row.description(), row.checksum());
            } else if (versioned.put(MigrationVersion.fromVersion(row.version()), row.checksum()) != null) {
                return false;
            }
        }
        int versionedFiles = 0;
        for (MigrationFile file : files) {
            if (file.repeatable()) {
                if (!Integer.valueOf(file.checksum()).equals(repeatable.get(file.description()))) {
                    return false;
                }
            } else {
                versionedFiles++;
                if (!Integer.valueOf(file.checksum()).equals(versioned.get(file.migrationVersion()))) {
                    return false;
                }
            }
        }
        return versioned.size() == versionedFiles && repeatable.size() == files.size() - versionedFiles;
    }
}
