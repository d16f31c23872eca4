package io.pgdbm.internal.migrations;

import io.pgdbm.DatabaseManager;
import io.pgdbm.internal.Identifiers;
import io.pgdbm.migrations.MigrationException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Down files ({@code 003_x.down.sql}, Flyway's {@code U3__x.sql}): their names, and running one to undo its
 * migration together with the migration's history entry.
 */
public final class DownFiles {
    private static final Logger LOG = LoggerFactory.getLogger("io.pgdbm.migrations.MigrationManager");
    private final DatabaseManager db;
    private final String schema;
    private final String historyTable;
    private final String module;
    /** Where down files run: the connections migrations use (the direct ones behind a pooler). */
    private final java.util.function.Supplier<java.sql.Connection> connect;

    public DownFiles(
            DatabaseManager db,
            String schema,
            String historyTable,
            String module,
            java.util.function.Supplier<java.sql.Connection> connect) {
        this.db = db;
        this.connect = connect;
        this.schema = schema;
        this.historyTable = historyTable;
        this.module = module;
    }

    /** A version to roll back to, as the user wrote it ({@code 2}, {@code 002}, {@code 1.2}). */
    public static MigrationVersion parseVersion(String version) {
        if (version == null || !version.strip().matches("\\d+(?:[._]\\d+)*")) {
            throw new IllegalArgumentException("version '" + version + "' is not a migration version: give the number"
                    + " of the last migration to keep, such as 2 or 002 (0 undoes every numbered migration)");
        }
        return MigrationVersion.fromVersion(version.strip().replace('_', '.'));
    }

    /** The migration a down file undoes. */
    public static String upFileName(MigrationFile downFile) {
        String name = downFile.fileName();
        return name.endsWith(MigrationSource.DOWN_SUFFIX)
                ? name.substring(0, name.length() - MigrationSource.DOWN_SUFFIX.length()) + ".sql"
                : "V" + name.substring(1);
    }

    /** The down file a migration would have. */
    public static String downFileName(String upFile) {
        return upFile.startsWith("V") && upFile.contains("__")
                ? "U" + upFile.substring(1)
                : upFile.substring(0, upFile.length() - ".sql".length()) + MigrationSource.DOWN_SUFFIX;
    }

    /**
     * Undoes every applied numbered migration newer than {@code target}, newest first; nothing when one of
     * them has no down file, failed, or lost its file (the error lists each). Call it holding the module's
     * migration lock.
     */
    public List<String> rollBack(
            List<HistoryTable.Row> history,
            List<MigrationFile> files,
            Map<String, MigrationFile> down,
            MigrationVersion target,
            String version) {
        List<HistoryTable.Row> undo = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (HistoryTable.Row row : history) {
            if (row.version() == null || !"SQL".equals(row.type())) {
                continue; // repeatable and named files, Flyway's schema and baseline markers
            }
            if (MigrationVersion.fromVersion(row.version()).compareTo(target) <= 0) {
                continue;
            }
            MigrationFile file = HistoryTable.fileOf(files, row);
            String name = file != null ? file.fileName() : "version " + row.version() + " (" + row.description() + ")";
            if (!row.success()) {
                problems.add(name + " failed and left a failed entry: undo what it applied by hand, then repair()");
            } else if (file == null) {
                problems.add(name + " is applied but its file is gone: restore it and its down file");
            } else if (!down.containsKey(file.fileName())) {
                problems.add(file.fileName() + " has no down file: write " + downFileName(file.fileName())
                        + " beside it, or undo it with a new migration");
            }
            undo.add(row);
        }
        if (!problems.isEmpty()) {
            throw new MigrationException(
                    "Cannot roll back module '" + module + "' in schema " + schema + " to version " + version
                            + "; nothing was undone:\n  - " + String.join("\n  - ", problems),
                    module,
                    schema);
        }
        undo.sort(Comparator.comparing((HistoryTable.Row row) -> MigrationVersion.fromVersion(row.version()))
                .reversed());
        List<String> undone = new ArrayList<>();
        for (HistoryTable.Row row : undo) {
            MigrationFile file = HistoryTable.fileOf(files, row);
            undo(file, down.get(file.fileName()), row);
            undone.add(file.fileName());
            LOG.info("Module '{}' in schema {}: rolled back {}", module, schema, file.fileName());
        }
        return undone;
    }

    /** Runs one down file, statement by statement, and removes the history entry of the migration it undoes. */
    void undo(MigrationFile file, MigrationFile downFile, HistoryTable.Row row) {
        String sql = FlywayRunner.executable(
                downFile, schema, db.schemaMappings(), db.pool().config().extensionsSchema());
        String deleteEntry = "DELETE FROM " + Identifiers.quote(schema) + "." + Identifiers.quote(historyTable)
                + " WHERE installed_rank = " + row.rank();
        boolean transactional = downFile.transactional();
        try (java.sql.Connection connection = connect.get()) {
            connection.setAutoCommit(!transactional);
            try (java.sql.Statement statement = connection.createStatement()) {
                for (MigrationSource.LocatedStatement part : MigrationSource.statements(sql)) {
                    try {
                        statement.execute(part.sql());
                    } catch (java.sql.SQLException e) {
                        if (transactional) {
                            connection.rollback();
                            connection.setAutoCommit(true);
                        }
                        throw downFileFailed(file, downFile, part, e);
                    }
                }
                statement.execute(deleteEntry);
                if (transactional) {
                    connection.commit();
                    connection.setAutoCommit(true);
                }
            }
        } catch (java.sql.SQLException e) {
            throw downFileFailed(file, downFile, null, e);
        }
    }

    private MigrationException downFileFailed(
            MigrationFile file,
            MigrationFile downFile,
            MigrationSource.LocatedStatement part,
            java.sql.SQLException e) {
        Integer line = part == null ? null : part.line();
        if (part != null
                && e instanceof org.postgresql.util.PSQLException psql
                && psql.getServerErrorMessage() != null
                && psql.getServerErrorMessage().getPosition() > 0) {
            int position = Math.min(
                    psql.getServerErrorMessage().getPosition(), part.sql().length());
            line += (int) part.sql()
                    .substring(0, position)
                    .chars()
                    .filter(c -> c == '\n')
                    .count();
        }
        String message =
                io.pgdbm.internal.Masking.scrub(serverMessage(e), db.pool().config());
        return new MigrationException(
                "Rolling back " + file.fileName() + " of module '" + module + "' in schema " + schema + " failed in "
                        + downFile.fileName() + (line == null ? "" : " line " + line) + ": " + message
                        + (downFile.transactional()
                                ? "; nothing of it was undone, and it stays applied"
                                : "; it ran outside a transaction, so what ran before the failure stays undone"
                                        + " while the migration stays recorded as applied"),
                module,
                schema,
                downFile.fileName(),
                line,
                e.getSQLState(),
                e);
    }

    private static String serverMessage(java.sql.SQLException e) {
        String message = String.valueOf(e.getMessage());
        int position = message.indexOf("\n  Position:");
        return position > 0 ? message.substring(0, position) : message;
    }
}
