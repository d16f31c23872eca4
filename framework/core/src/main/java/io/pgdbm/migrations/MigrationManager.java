package io.pgdbm.migrations;

import io.pgdbm.DatabaseManager;
import io.pgdbm.QueryException;
import io.pgdbm.internal.Identifiers;
import io.pgdbm.internal.SqlTemplate;
import io.pgdbm.internal.migrations.FlywayRunner;
import io.pgdbm.internal.migrations.MigrationFile;
import io.pgdbm.internal.migrations.MigrationLock;
import io.pgdbm.internal.migrations.MigrationSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.RepairResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.jooq.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one module's migrations to one schema: the schema of the {@link DatabaseManager} it is given.
 * One Flyway instance per module and schema does the work, with its own history table in that schema,
 * named {@code <module>_schema_history}, so several modules share a schema or a database without seeing
 * each other's history.
 *
 * <pre>{@code
 * DatabaseManager users = pool.manager("users");
 * MigrationManager.of(users, "classpath:db/users", "users").applyPending();
 * }</pre>
 *
 * <p>Files are named {@code 001_initial.sql} or {@code 20240101_120000_add_index.sql} (pgdbm) or {@code
 * V1__initial.sql} and {@code R__views.sql} (Flyway); versions order numerically. Templates ({@code
 * {{tables.users}}}, {@code {{schema}}}) are expanded for the schema when a file runs, while the checksum
 * is taken over the file as written, so a file has one checksum in every schema. A file containing a line
 * {@code -- pgdbm:no-transaction} runs outside a transaction (for {@code CREATE INDEX CONCURRENTLY}).
 *
 * <p>Each file runs in its own transaction: when one fails, nothing of it stays applied, the history is
 * unchanged for it, later files do not run, and a {@link MigrationException} names the module, schema,
 * file and line; fixed, it applies on the next run. The first run of a module in a schema (no history
 * table yet, e.g. a new tenant) applies all files in one transaction instead: the schema ends up fully
 * migrated or not at all. Runners of the same module and schema — threads or processes — take turns
 * through an advisory lock; different modules migrate in parallel. Files are read once, when the manager
 * is made.
 *
 * <p>Thread-safe. A manager without a schema migrates {@code public}.
 */
public final class MigrationManager {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationManager.class);
    private static final String HISTORY_SUFFIX = "_schema_history";
    /** Module names leave room for the history table's suffix within PostgreSQL's 63 characters. */
    static final int MAX_MODULE_LENGTH = Identifiers.MAX_LENGTH - HISTORY_SUFFIX.length();

    private static final Duration LOCK_TIMEOUT = Duration.ofMinutes(10);

    private final DatabaseManager db;
    private final String module;
    private final String schema;
    private final String historyTable;
    private final List<MigrationFile> files;
    private volatile FlywayRunner runner;
    private volatile FlywayRunner groupedRunner;
    /** Set once the history table has been seen, so later checks skip the existence query. */
    private volatile boolean historySeen;

    /** What the history says before a run. */
    private enum HistoryState {
        UP_TO_DATE,
        /** The module has no history table in this schema yet. */
        FRESH,
        PENDING
    }

    private MigrationManager(DatabaseManager db, String module, List<MigrationFile> files) {
        this.db = db;
        this.module = module;
        this.schema = db.schema().orElse("public");
        this.historyTable = module + HISTORY_SUFFIX;
        this.files = files;
    }

    /**
     * Reads the migrations at {@code location}: a directory path, or {@code classpath:db/module} for
     * migrations shipped inside a jar.
     *
     * @throws MigrationException when the location is missing or a file is misnamed, empty, duplicates a
     *     version or has a bad name in a template
     * @throws io.pgdbm.IdentifierException when {@code moduleName} is not a valid identifier
     */
    public static MigrationManager of(DatabaseManager db, String location, String moduleName) {
        String module = validateModule(moduleName);
        return new MigrationManager(db, module, load(module, db, () -> MigrationSource.load(location, classLoader())));
    }

    /** The migrations of a module described by {@code module} (its location and name). */
    public static MigrationManager of(DatabaseManager db, io.pgdbm.ModuleDescriptor module) {
        return of(db, module.migrationsLocation(), module.name());
    }

    /** Reads the migrations in {@code directory}; see {@link #of(DatabaseManager, String, String)}. */
    public static MigrationManager of(DatabaseManager db, Path directory, String moduleName) {
        String module = validateModule(moduleName);
        return new MigrationManager(db, module, load(module, db, () -> MigrationSource.load(directory)));
    }

    /** For {@link SchemaProvisioner}: files read once, applied to many schemas. */
    static MigrationManager of(DatabaseManager db, List<MigrationFile> files, String module) {
        return new MigrationManager(db, module, files);
    }

    static List<MigrationFile> load(
            String module, DatabaseManager db, java.util.function.Supplier<List<MigrationFile>> loader) {
        try {
            return loader.get();
        } catch (MigrationSource.InvalidMigrationsException e) {
            throw new MigrationException(
                    "Migrations of module '" + module + "': " + e.getMessage(),
                    module,
                    db == null ? null : db.schema().orElse("public"),
                    e.file(),
                    e.line(),
                    null,
                    e);
        }
    }

    static String validateModule(String moduleName) {
        Identifiers.require("module name", moduleName);
        if (moduleName.length() > MAX_MODULE_LENGTH) {
            throw new io.pgdbm.IdentifierException("module name '" + moduleName + "' is " + moduleName.length()
                    + " characters long; the limit is " + MAX_MODULE_LENGTH + " so that its history table ("
                    + moduleName + HISTORY_SUFFIX + ") fits PostgreSQL's 63");
        }
        return moduleName;
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : MigrationManager.class.getClassLoader();
    }

    public String moduleName() {
        return module;
    }

    /** The schema this manager migrates. */
    public String schema() {
        return schema;
    }

    /** The history table's name, {@code <module>_schema_history}, in {@link #schema()}. */
    public String historyTable() {
        return historyTable;
    }

    /**
     * Applies every pending migration, in order. Creates the schema and the history table when needed;
     * creates nothing when the location holds no migrations. An up-to-date module costs one query.
     *
     * @throws MigrationException when a file fails or was changed after it was applied
     */
    public MigrationResult applyPending() {
        long started = System.nanoTime();
        if (files.isEmpty()) {
            return new MigrationResult(module, schema, MigrationResult.Status.NO_MIGRATIONS, List.of(), since(started));
        }
        HistoryState history = historyState();
        if (history == HistoryState.UP_TO_DATE) {
            return new MigrationResult(module, schema, MigrationResult.Status.UP_TO_DATE, List.of(), since(started));
        }
        if (db.poolStats().max() < 2) {
            // one connection holds the migration lock while Flyway works on another
            throw new io.pgdbm.ConfigurationException("Migrations of module '" + module + "' need a pool of at least"
                    + " 2 connections (one holds the migration lock while another applies the files); "
                    + db.pool().name() + " has maxConnections=" + db.poolStats().max()
                    + ". Raise maxConnections for the pool that migrates.");
        }
        db.ensureSchema();
        // A first run in a schema applies every file in one transaction: a new tenant is provisioned
        // completely or not at all, with one lock and one history refresh instead of one per file.
        boolean grouped = history == HistoryState.FRESH && files.stream().allMatch(MigrationFile::transactional);
        FlywayRunner chosen = grouped ? groupedRunner() : runner();
        MigrateResult result;
        try {
            result = MigrationLock.acquire(db.pool(), schema, module, LOCK_TIMEOUT)
                    .holding(() -> chosen.run(() -> chosen.flyway().migrate()));
        } catch (MigrationException e) {
            if (FlywayRunner.isValidationFailure(e)) {
                validate(); // throws the same problem, explained per file
            }
            throw e;
        }
        List<AppliedMigration> applied = new ArrayList<>();
        for (MigrateOutput output : result.migrations) {
            applied.add(new AppliedMigration(
                    Optional.ofNullable(output.version).filter(v -> !v.isEmpty()),
                    output.description,
                    fileFor(output.version, output.description),
                    Duration.ofMillis(output.executionTime)));
        }
        if (!applied.isEmpty()) {
            LOG.info(
                    "Module '{}': applied {} migration(s) to schema {} in {} ms",
                    module,
                    applied.size(),
                    schema,
                    since(started).toMillis());
        }
        return new MigrationResult(
                module,
                schema,
                applied.isEmpty() ? MigrationResult.Status.UP_TO_DATE : MigrationResult.Status.APPLIED,
                applied,
                since(started));
    }

    /** Every migration and where it stands: applied, pending, changed, failed or missing. */
    public MigrationStatus status() {
        List<MigrationInfo> infos = new ArrayList<>();
        if (!files.isEmpty() || historyExists()) {
            for (org.flywaydb.core.api.MigrationInfo info :
                    runner().run(() -> runner().flyway().info()).all()) {
                toInfo(info).ifPresent(infos::add);
            }
        }
        return new MigrationStatus(module, schema, historyTable, infos);
    }

    /** A dry run: the migrations {@link #applyPending()} would run now, with their SQL rendered for the schema. */
    public MigrationPlan plan() {
        Map<String, MigrationFile> byName = new HashMap<>();
        files.forEach(file -> byName.put(file.fileName(), file));
        List<MigrationPlan.Step> steps = new ArrayList<>();
        for (MigrationInfo info : status().pending()) {
            MigrationFile file = byName.get(info.file());
            if (file != null) {
                steps.add(new MigrationPlan.Step(
                        Optional.ofNullable(file.version()),
                        file.description(),
                        file.fileName(),
                        file.transactional(),
                        SqlTemplate.render(file.text(), schema)));
            }
        }
        return new MigrationPlan(module, schema, steps);
    }

    /**
     * Checks the history against the files: changed, missing and failed migrations are errors.
     *
     * @throws MigrationException naming each problem and how to fix it; for a changed file, both checksums
     *     and how to accept the change on purpose ({@link #repair()})
     */
    public void validate() {
        if (files.isEmpty() && !historyExists()) {
            return;
        }
        MigrationStatus status = status();
        List<String> problems = new ArrayList<>();
        for (MigrationInfo info : status.changed()) {
            problems.add(info.file() + " changed after it was applied (checksum applied "
                    + info.appliedChecksum().orElse(null)
                    + ", now " + info.checksum().orElse(null) + "). Revert the file, or if the change is intended and"
                    + " already reflected in the database, call repair() to record the new checksum");
        }
        MigrationVersion newestFile = files.stream()
                .filter(f -> !f.repeatable())
                .map(f -> MigrationVersion.fromVersion(f.version()))
                .max(MigrationVersion::compareTo)
                .orElse(MigrationVersion.EMPTY);
        for (MigrationInfo info : status.missing()) {
            boolean newerThanEveryFile = info.version()
                    .map(v -> MigrationVersion.fromVersion(v).compareTo(newestFile) > 0)
                    .orElse(false);
            if (!newerThanEveryFile) {
                problems.add(info.file() + " was applied but the file is gone: restore it");
            }
        }
        for (MigrationInfo info : status.failed()) {
            problems.add(info.file() + " failed and left a failed entry: undo what it applied, then call repair()");
        }
        if (problems.isEmpty()) {
            ValidateResult result = runner().run(() -> runner().flyway().validateWithResult());
            if (result.validationSuccessful) {
                return;
            }
            problems.add(result.getAllErrorMessages());
        }
        String first =
                status.changed().isEmpty() ? null : status.changed().get(0).file();
        throw new MigrationException(
                "Migrations of module '" + module + "' in schema " + schema + " do not match the" + " history:\n  - "
                        + String.join("\n  - ", problems),
                module,
                schema,
                first,
                null,
                null,
                null);
    }

    /**
     * Accepts the files as they are: removes failed entries from the history and records the current
     * checksums of changed files. Use it after fixing the database by hand; it runs no migration SQL.
     *
     * @return the files whose entries were removed or realigned
     */
    public List<String> repair() {
        if (!historyExists()) {
            return List.of();
        }
        RepairResult result = MigrationLock.acquire(db.pool(), schema, module, LOCK_TIMEOUT)
                .holding(() -> runner().run(() -> runner().flyway().repair()));
        List<String> repaired = new ArrayList<>();
        result.migrationsRemoved.forEach(r -> repaired.add(fileFor(r.version, r.description)));
        result.migrationsAligned.forEach(r -> repaired.add(fileFor(r.version, r.description)));
        result.migrationsDeleted.forEach(r -> repaired.add(fileFor(r.version, r.description)));
        LOG.info("Module '{}' in schema {}: repaired {}", module, schema, repaired);
        return repaired;
    }

    private FlywayRunner runner() {
        FlywayRunner current = runner;
        if (current == null) {
            synchronized (this) {
                if (runner == null) {
                    runner = new FlywayRunner(
                            db.pool().dataSource(),
                            schema,
                            historyTable,
                            module,
                            files,
                            db.pool().config().password().orElse(null));
                }
                current = runner;
            }
        }
        return current;
    }

    private FlywayRunner groupedRunner() {
        FlywayRunner current = groupedRunner;
        if (current == null) {
            synchronized (this) {
                if (groupedRunner == null) {
                    groupedRunner = new FlywayRunner(
                            db.pool().dataSource(),
                            schema,
                            historyTable,
                            module,
                            files,
                            db.pool().config().password().orElse(null),
                            true);
                }
                current = groupedRunner;
            }
        }
        return current;
    }

    private boolean historyExists() {
        return db.fetchValue(
                        Boolean.class,
                        "SELECT to_regclass($1) IS NOT NULL",
                        Identifiers.quote(schema) + "." + Identifiers.quote(historyTable))
                .booleanValue();
    }

    /**
     * The fast path: every file is in the history with its checksum and succeeded, and the history holds
     * nothing else. Anything less goes to Flyway, which applies, validates and explains. A missing
     * history table means the module has never run in this schema.
     */
    private HistoryState historyState() {
        // Look before reading: a query on a missing table would put an ERROR line in the server's log.
        if (!historySeen && !historyExists()) {
            return HistoryState.FRESH;
        }
        historySeen = true;
        List<Record> rows;
        try {
            rows = db.fetchAll("SELECT version, description, checksum, success, type FROM " + Identifiers.quote(schema)
                    + "." + Identifiers.quote(historyTable) + " ORDER BY installed_rank");
        } catch (QueryException e) {
            if (e.sqlState()
                    .filter(state -> state.equals("42P01") || state.equals("3F000"))
                    .isPresent()) {
                historySeen = false; // dropped since
                return HistoryState.FRESH;
            }
            throw e;
        }
        return matchesFiles(rows) ? HistoryState.UP_TO_DATE : HistoryState.PENDING;
    }

    private boolean matchesFiles(List<Record> rows) {
        Map<MigrationVersion, Integer> versioned = new HashMap<>();
        Map<String, Integer> repeatable = new HashMap<>();
        for (Record row : rows) {
            String type = row.get("type", String.class);
            if ("BASELINE".equals(type) || "SCHEMA".equals(type)) {
                continue;
            }
            if (!Boolean.TRUE.equals(row.get("success", Boolean.class))) {
                return false;
            }
            String version = row.get("version", String.class);
            Integer checksum = row.get("checksum", Integer.class);
            if (version == null) {
                repeatable.put(row.get("description", String.class), checksum);
            } else if (versioned.put(MigrationVersion.fromVersion(version), checksum) != null) {
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
                if (!Integer.valueOf(file.checksum())
                        .equals(versioned.get(MigrationVersion.fromVersion(file.version())))) {
                    return false;
                }
            }
        }
        return versioned.size() == versionedFiles && repeatable.size() == files.size() - versionedFiles;
    }

    private Optional<MigrationInfo> toInfo(org.flywaydb.core.api.MigrationInfo info) {
        MigrationState state = info.getState();
        MigrationInfo.State ours;
        switch (state) {
            case SUCCESS ->
                ours = info.getResolvedChecksum() != null
                                && info.getAppliedChecksum() != null
                                && !info.getResolvedChecksum().equals(info.getAppliedChecksum())
                        ? MigrationInfo.State.CHANGED
                        : MigrationInfo.State.APPLIED;
            case PENDING, OUTDATED, IGNORED, OUT_OF_ORDER, ABOVE_TARGET -> ours = MigrationInfo.State.PENDING;
            case FAILED -> ours = MigrationInfo.State.FAILED;
            case MISSING_SUCCESS, MISSING_FAILED, FUTURE_SUCCESS, FUTURE_FAILED -> ours = MigrationInfo.State.MISSING;
            default -> {
                return Optional.empty(); // baseline, superseded repeatable runs and other bookkeeping rows
            }
        }
        return Optional.of(new MigrationInfo(
                Optional.ofNullable(info.getVersion()).map(MigrationVersion::getVersion),
                info.getDescription(),
                info.getScript(),
                ours,
                Optional.ofNullable(info.getResolvedChecksum()),
                Optional.ofNullable(info.getAppliedChecksum()),
                Optional.ofNullable(info.getInstalledOn()).map(date -> Instant.ofEpochMilli(date.getTime())),
                Optional.ofNullable(info.getExecutionTime())));
    }

    /** The file name for a version (or a repeatable's description) that Flyway reports. */
    private String fileFor(String version, String description) {
        for (MigrationFile file : files) {
            boolean matches = version == null || version.isEmpty()
                    ? file.repeatable() && file.description().equals(description)
                    : !file.repeatable()
                            && MigrationVersion.fromVersion(file.version())
                                    .equals(MigrationVersion.fromVersion(version));
            if (matches) {
                return file.fileName();
            }
        }
        return version == null || version.isEmpty() ? description : version + " " + description;
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    @Override
    public String toString() {
        return "MigrationManager[module=" + module + ", schema=" + schema + ", files=" + files.size() + "]";
    }
}
