package io.pgdbm.migrations;

import io.pgdbm.DatabaseManager;
import io.pgdbm.internal.Identifiers;
import io.pgdbm.internal.Masking;
import io.pgdbm.internal.migrations.DownFiles;
import io.pgdbm.internal.migrations.FlywayInfos;
import io.pgdbm.internal.migrations.FlywayRunner;
import io.pgdbm.internal.migrations.HistoryTable;
import io.pgdbm.internal.migrations.MigrationFile;
import io.pgdbm.internal.migrations.MigrationLock;
import io.pgdbm.internal.migrations.MigrationSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.RepairResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Longer than 500 lines on purpose: it is the public contract of migrating one module (apply, status, plan,
// validate, repair, rollback), each verb documented where it is declared. The work lives in
// internal/migrations: FlywayRunner (Flyway per module and schema), HistoryTable (the fast path),
// FlywayInfos (Flyway's results as ours), DownFiles (rollback), MigrationLock, MigrationSource.
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
 * V1__initial.sql} and {@code R__views.sql} (Flyway); versions order numerically. pgdbm files without a
 * number ({@code custom_name.sql}) apply once, after the numbered ones, in name order. Templates ({@code
 * {{tables.users}}}, {@code {{schema}}}) are expanded for the schema when a file runs, while the checksum
 * is taken over the file as written (line endings made uniform), so a file has one checksum in every schema
 * and on every machine. A file containing a line {@code -- pgdbm:no-transaction} runs outside a transaction
 * (for {@code CREATE INDEX CONCURRENTLY}); any other file is one transaction, so a file wrapped in {@code
 * BEGIN; … COMMIT;} runs its body in it, and other transaction control in it is refused before anything
 * runs. {@code CREATE EXTENSION} without a schema installs into {@code public} (or {@link
 * io.pgdbm.DatabaseConfig#extensionsSchema()}), where every module and tenant finds it.
 *
 * <p>Each file runs in its own transaction: when one fails, nothing of it stays applied, the history is
 * unchanged for it, later files do not run, and a {@link MigrationException} names the module, schema,
 * file and line; fixed, it applies on the next run. The first run of a module in a schema (no history
 * table yet, e.g. a new tenant) applies all files in one transaction instead: the schema ends up fully
 * migrated or not at all. Runners of the same module and schema — threads or processes — take turns
 * through an advisory lock; different modules migrate in parallel. A directory is read again on every call
 * (a file written after the manager was made is seen); class-path migrations, inside jars, are read once.
 *
 * <p>Thread-safe. A manager without a schema migrates {@code public}.
 */
public final class MigrationManager {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationManager.class);
    private static final String HISTORY_SUFFIX = "_schema_history";
    /** The suffix of the index Flyway creates on the history table: {@code <table>_s_idx}. */
    private static final String HISTORY_INDEX_SUFFIX = "_s_idx";
    /**
     * Module names leave room, within PostgreSQL's 63 characters, for the history table's name and the
     * name of the index Flyway creates on it: 63 − 15 − 6 = 42.
     */
    public static final int MAX_MODULE_LENGTH =
            Identifiers.MAX_LENGTH - HISTORY_SUFFIX.length() - HISTORY_INDEX_SUFFIX.length();

    private static final Duration LOCK_TIMEOUT = Duration.ofMinutes(10);

    private final DatabaseManager db;
    private final String module;
    private final String schema;
    private final String historyTable;
    /** Reads the files again; null when they are read once (class path, provisioning). */
    private final java.util.function.Supplier<List<MigrationFile>> reload;
    /** Reads the down files, by the migration each undoes; null when there is no location to read. */
    private final java.util.function.Supplier<Map<String, MigrationFile>> downFiles;
    /** The files as last read, with the Flyway runners made for them. */
    private volatile Snapshot snapshot;
    /** The module's history table in its schema: reading it, the fast path's comparison, checksum repair. */
    private final HistoryTable history;
    /** Set once the history table has been seen, so later checks skip the existence query. */
    private volatile boolean historySeen;

    /** Files and the Flyway runners made for exactly those files (made when first needed). */
    private final class Snapshot {
        final List<MigrationFile> files;
        /** By {@code (grouped ? 1 : 0) + (wholeFiles ? 2 : 0)}. */
        private final FlywayRunner[] runners = new FlywayRunner[4];

        Snapshot(List<MigrationFile> files) {
            this.files = files;
        }

        /** A runner that reads, or applies statement by statement, file by file. */
        FlywayRunner runner() {
            return runner(false, false);
        }

        FlywayRunner runner(boolean grouped, boolean wholeFiles) {
            int index = (grouped ? 1 : 0) + (wholeFiles ? 2 : 0);
            FlywayRunner current;
            synchronized (this) {
                current = runners[index];
            }
            if (current == null) {
                refuseThroughPooler();
                synchronized (this) {
                    current = runners[index];
                    if (current == null) {
                        current = new FlywayRunner(
                                db.pool().migrationDataSource(),
                                schema,
                                db.schemaMappings(),
                                historyTable,
                                module,
                                files,
                                Masking.secret(db.pool()
                                        .config()
                                        .migrationConfig()
                                        .orElse(db.pool().config())),
                                grouped,
                                db.pool().config().extensionsSchema(),
                                wholeFiles);
                        runners[index] = current;
                    }
                }
            }
            return current;
        }
    }

    /**
     * Refuses migrations that would stop Citus from distributing this module's schema ({@link Citus}): a
     * foreign key to a table of another schema. Reads the files only; nothing runs.
     *
     * @throws MigrationException naming each problem with its file and line
     */
    public void checkCitus() {
        List<String> problems =
                io.pgdbm.internal.migrations.CitusCheck.problems(current().files, schema, db.schemaMappings());
        if (!problems.isEmpty()) {
            throw new MigrationException(
                    "Module '" + module + "' cannot be distributed by Citus in schema " + schema + ":\n  "
                            + String.join("\n  ", problems),
                    module,
                    schema);
        }
    }

    /** A connection of the pool's {@link io.pgdbm.SharedPool#migrationDataSource()}: direct when a migration URL is set. */
    private java.sql.Connection migrationConnection() {
        if (db.pool().config().migrationConfig().isEmpty()) {
            refuseThroughPooler();
            return db.pool().acquire();
        }
        try {
            return db.pool().migrationDataSource().getConnection();
        } catch (java.sql.SQLException e) {
            io.pgdbm.DatabaseConfig direct =
                    db.pool().config().migrationConfig().orElseThrow();
            throw new io.pgdbm.ConnectionException(
                    "Migrations of module '" + module + "' could not connect to their migration URL "
                            + direct.describe() + ": " + Masking.scrub(e.getMessage(), direct),
                    e);
        }
    }

    /** Migrations hold a session-level advisory lock and Flyway sets its search_path: a pooler can't keep either. */
    private void refuseThroughPooler() {
        io.pgdbm.DatabaseConfig config = db.pool().config();
        if (config.transactionPooling() && config.migrationConfig().isEmpty()) {
            throw new io.pgdbm.ConfigurationException("Migrations of module '" + module + "' cannot run through"
                    + " pool " + db.pool().name() + ": it goes through a transaction-mode pooler, which cannot hold"
                    + " their session-level advisory lock. Give the configuration a direct connection for them:"
                    + " migrationUrl(...) (PGDBM_MIGRATION_URL, or pgdbm.migration-url in Spring).");
        }
    }

    /** What the history says before a run. */
    private enum HistoryState {
        UP_TO_DATE,
        /** The module has no history table in this schema yet. */
        FRESH,
        PENDING
    }

    private MigrationManager(
            DatabaseManager db,
            String module,
            List<MigrationFile> files,
            java.util.function.Supplier<List<MigrationFile>> reload,
            java.util.function.Supplier<Map<String, MigrationFile>> downFiles) {
        this.db = db;
        this.module = module;
        this.schema = db.schema().orElse("public");
        this.historyTable = module + HISTORY_SUFFIX;
        this.history = new HistoryTable(db, schema, historyTable, module);
        this.snapshot = new Snapshot(files);
        this.reload = reload;
        this.downFiles = downFiles;
    }

    /** The files as they are now: read again for a directory, with new runners when they changed. */
    private Snapshot current() {
        Snapshot current = snapshot;
        if (reload == null) {
            return current;
        }
        List<MigrationFile> files = load(module, db, reload);
        if (!files.equals(current.files)) {
            current = new Snapshot(files);
            snapshot = current;
        }
        return current;
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
        java.util.function.Supplier<List<MigrationFile>> loader = () -> MigrationSource.load(location, classLoader());
        boolean directory = location != null && !location.startsWith("classpath:");
        return new MigrationManager(
                db,
                module,
                load(module, db, loader),
                directory ? loader : null,
                () -> MigrationSource.loadDown(location, classLoader()));
    }

    /** The migrations of a module described by {@code module} (its location and name). */
    public static MigrationManager of(DatabaseManager db, io.pgdbm.ModuleDescriptor module) {
        return of(db, module.migrationsLocation(), module.name());
    }

    /** Reads the migrations in {@code directory}; see {@link #of(DatabaseManager, String, String)}. */
    public static MigrationManager of(DatabaseManager db, Path directory, String moduleName) {
        String module = validateModule(moduleName);
        java.util.function.Supplier<List<MigrationFile>> loader = () -> MigrationSource.load(directory);
        return new MigrationManager(
                db,
                module,
                load(module, db, loader),
                loader,
                () -> MigrationSource.loadDown(directory.toString(), classLoader()));
    }

    /** For {@link SchemaProvisioner}: files read once, applied to many schemas. */
    static MigrationManager of(DatabaseManager db, List<MigrationFile> files, String module) {
        return new MigrationManager(db, module, files, null, null);
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
                    + moduleName + HISTORY_SUFFIX + ") and the index Flyway makes on it (" + moduleName
                    + HISTORY_SUFFIX + HISTORY_INDEX_SUFFIX + ") fit PostgreSQL's 63 characters");
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
     * creates nothing when the location holds no migrations. An up-to-date module costs two short queries on one
     * connection (one once this manager has seen its history table), without Flyway.
     *
     * @throws MigrationException when a file fails or was changed after it was applied
     */
    public MigrationResult applyPending() {
        long started = System.nanoTime();
        Snapshot current = current();
        HistoryState state = current.files.isEmpty() ? null : historyState(current.files);
        MigrationResult nothingToDo = nothingToDo(state, started);
        return nothingToDo != null ? nothingToDo : apply(current, state, started);
    }

    /**
     * Whether {@link #applyPending()} would find nothing to do: every file applied with its checksum and nothing
     * else in the history (or no files). One or two queries, without Flyway; changes nothing, takes no lock.
     */
    public boolean isUpToDate() {
        return upToDate() != null;
    }

    /** {@link #applyPending()}'s result when there is nothing to apply, without applying; null otherwise. */
    MigrationResult upToDate() {
        long started = System.nanoTime();
        List<MigrationFile> files = current().files;
        return nothingToDo(files.isEmpty() ? null : historyState(files), started);
    }

    /** The result of a run that finds nothing to apply ({@code state} null: no files); null when it has work. */
    private MigrationResult nothingToDo(HistoryState state, long started) {
        if (state == null) {
            return new MigrationResult(module, schema, MigrationResult.Status.NO_MIGRATIONS, List.of(), since(started));
        }
        return state == HistoryState.UP_TO_DATE
                ? new MigrationResult(module, schema, MigrationResult.Status.UP_TO_DATE, List.of(), since(started))
                : null;
    }

    private MigrationResult apply(Snapshot current, HistoryState state, long started) {
        List<MigrationFile> files = current.files;
        if (db.pool().config().migrationConfig().isEmpty() && db.poolStats().max() < 2) {
            // one connection holds the migration lock while Flyway works on another
            throw new io.pgdbm.ConfigurationException("Migrations of module '" + module + "' need a pool of at least"
                    + " 2 connections (one holds the migration lock while another applies the files); "
                    + db.pool().name() + " has maxConnections=" + db.poolStats().max()
                    + ". Raise maxConnections for the pool that migrates.");
        }
        db.ensureSchema();
        // A first run in a schema applies every file in one transaction: a new tenant is provisioned
        // completely or not at all, with one lock and one history refresh instead of one per file.
        boolean grouped = state == HistoryState.FRESH && files.stream().allMatch(MigrationFile::transactional);
        // Each transactional file in one round trip; when one fails, its transaction rolled back, and the same
        // run statement by statement names the failing line (or applies a file that needed Flyway's parsing).
        FlywayRunner chosen = current.runner(grouped, true);
        MigrateResult result;
        try {
            result = MigrationLock.acquire(this::migrationConnection, schema, module, LOCK_TIMEOUT)
                    .holding(() -> {
                        if (state != HistoryState.FRESH) {
                            history.checkUnnumberedUnchanged(files, history.read());
                        }
                        try {
                            return chosen.run(() -> chosen.flyway().migrate());
                        } catch (RuntimeException e) {
                            if (!FlywayRunner.isWholeFileFailure(e)) {
                                throw e;
                            }
                            LOG.debug(
                                    "Module '{}' in schema {}: {}; running statement by statement",
                                    module,
                                    schema,
                                    e.getMessage());
                            FlywayRunner stepwise = current.runner(grouped, false);
                            return stepwise.run(() -> stepwise.flyway().migrate());
                        }
                    });
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
                    FlywayInfos.fileFor(files, output.version, output.description),
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
        return status(current());
    }

    private MigrationStatus status(Snapshot current) {
        List<MigrationInfo> infos = new ArrayList<>();
        if (!current.files.isEmpty() || history.exists()) {
            realignLegacyChecksums(current.files);
            FlywayRunner runner = current.runner();
            for (org.flywaydb.core.api.MigrationInfo info :
                    runner.run(() -> runner.flyway().info()).all()) {
                FlywayInfos.toInfo(current.files, info).ifPresent(infos::add);
            }
        }
        return new MigrationStatus(module, schema, historyTable, infos);
    }

    /** A dry run: the migrations {@link #applyPending()} would run now, with their SQL rendered for the schema. */
    public MigrationPlan plan() {
        Snapshot current = current();
        Map<String, MigrationFile> byName = new HashMap<>();
        current.files.forEach(file -> byName.put(file.fileName(), file));
        List<MigrationPlan.Step> steps = new ArrayList<>();
        for (MigrationInfo info : status(current).pending()) {
            MigrationFile file = byName.get(info.file());
            if (file != null) {
                steps.add(new MigrationPlan.Step(
                        Optional.ofNullable(file.version()),
                        file.description(),
                        file.fileName(),
                        file.transactional(),
                        FlywayRunner.executable(
                                file,
                                schema,
                                db.schemaMappings(),
                                db.pool().config().extensionsSchema())));
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
        Snapshot current = current();
        List<MigrationFile> files = current.files;
        if (files.isEmpty() && !history.exists()) {
            return;
        }
        MigrationStatus status = status(current);
        List<String> problems = new ArrayList<>();
        for (MigrationInfo info : status.changed()) {
            problems.add(info.file() + " changed after it was applied (checksum applied "
                    + info.appliedChecksum().orElse(null)
                    + ", now " + info.checksum().orElse(null) + "). Revert the file, or if the change is intended and"
                    + " already reflected in the database, call repair() to record the new checksum");
        }
        MigrationVersion newestFile = files.stream()
                .filter(f -> !f.repeatable())
                .map(MigrationFile::migrationVersion)
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
            FlywayRunner runner = current.runner();
            ValidateResult result = runner.run(() -> runner.flyway().validateWithResult());
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
     * This module's Flyway in this schema, configured exactly as pgdbm runs it (its files rendered for the schema,
     * its history table), for tools that read Flyway: {@code info()} lists every migration and its state, {@code
     * validate()} checks the history. The Spring Boot starter registers one per module, so that {@code
     * /actuator/flyway} lists them. It refuses {@code migrate()}, {@code repair()}, {@code baseline()}, {@code
     * undo()} and {@code clean()} with an {@link UnsupportedOperationException} naming the pgdbm method to call:
     * pgdbm changes a schema only under its migration lock.
     *
     * @throws MigrationException when the files cannot be read
     * @throws io.pgdbm.ConfigurationException behind a transaction pooler without a migration URL
     */
    public org.flywaydb.core.Flyway flyway() {
        return current().runner().readOnly();
    }

    /**
     * Accepts the files as they are: removes failed entries from the history and records the current
     * checksums of changed files. Use it after fixing the database by hand; it runs no migration SQL.
     *
     * @return the files whose entries were removed or realigned
     */
    public List<String> repair() {
        if (!history.exists()) {
            return List.of();
        }
        Snapshot current = current();
        FlywayRunner runner = current.runner();
        RepairResult result = MigrationLock.acquire(this::migrationConnection, schema, module, LOCK_TIMEOUT)
                .holding(() -> runner.run(() -> runner.flyway().repair()));
        List<String> repaired = new ArrayList<>();
        result.migrationsRemoved.forEach(
                r -> repaired.add(FlywayInfos.fileFor(current.files, r.version, r.description)));
        result.migrationsAligned.forEach(
                r -> repaired.add(FlywayInfos.fileFor(current.files, r.version, r.description)));
        result.migrationsDeleted.forEach(
                r -> repaired.add(FlywayInfos.fileFor(current.files, r.version, r.description)));
        LOG.info("Module '{}' in schema {}: repaired {}", module, schema, repaired);
        return repaired;
    }

    /**
     * Rolls the module back to {@code version}: undoes every applied migration with a higher version, newest
     * first, each by running its down file — {@code 003_add_x.down.sql} beside {@code 003_add_x.sql}, or
     * Flyway's {@code U3__add_x.sql} beside {@code V3__add_x.sql} — and removing its history entry, both in one
     * transaction (outside one when the down file says {@code -- pgdbm:no-transaction}). Version {@code 0}
     * undoes every numbered migration. Files without a number (named and repeatable files) are not rolled
     * back. Holds the module's migration lock.
     *
     * <p>Nothing is undone unless every migration to undo has a down file: the error names each one that has
     * none. When a down file fails, its migration stays applied (and the ones undone before it stay undone).
     *
     * @return the migrations undone, newest first (empty when none is newer than {@code version})
     * @throws MigrationException when a migration to undo has no down file, failed or is missing, or when a
     *     down file fails (naming it, and the line where the server points)
     * @throws IllegalArgumentException when {@code version} is not a version
     */
    public List<String> rollback(String version) {
        MigrationVersion target = DownFiles.parseVersion(version);
        if (downFiles == null) {
            throw new MigrationException(
                    "Module '" + module + "' was given its migrations as files already read, so it has no folder to"
                            + " read down files from; roll back through MigrationManager.of(db, location, module)",
                    module,
                    schema);
        }
        Snapshot current = current();
        Map<String, MigrationFile> down = load(
                        module, db, () -> List.copyOf(downFiles.get().values()))
                .stream()
                .collect(java.util.stream.Collectors.toMap(DownFiles::upFileName, f -> f));
        if (!history.exists()) {
            return List.of();
        }
        DownFiles runner = new DownFiles(db, schema, historyTable, module, this::migrationConnection);
        return MigrationLock.acquire(this::migrationConnection, schema, module, LOCK_TIMEOUT)
                .holding(() -> runner.rollBack(history.read(), current.files, down, target, version));
    }

    /**
     * The fast path: every file is in the history with its checksum and succeeded, and the history holds
     * nothing else. Anything less goes to Flyway, which applies, validates and explains. A missing
     * history table means the module has never run in this schema. Checksums recorded by earlier releases
     * for unchanged files are re-recorded on the way.
     */
    private HistoryState historyState(List<MigrationFile> files) {
        // Look before reading (unless seen before): a query on a missing table would put an ERROR line in the
        // server's log.
        Optional<List<HistoryTable.Row>> read = history.readIfExists(historySeen);
        historySeen = read.isPresent(); // false again when dropped since
        if (read.isEmpty()) {
            return HistoryState.FRESH;
        }
        List<HistoryTable.Row> rows = read.get();
        if (HistoryTable.matchesFiles(files, rows)) {
            return HistoryState.UP_TO_DATE;
        }
        if (history.realignLegacyChecksums(files, rows) > 0 && HistoryTable.matchesFiles(files, history.read())) {
            return HistoryState.UP_TO_DATE;
        }
        return HistoryState.PENDING;
    }

    private int realignLegacyChecksums(List<MigrationFile> files) {
        return history.readIfExists(false)
                .map(rows -> history.realignLegacyChecksums(files, rows))
                .orElse(0);
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    @Override
    public String toString() {
        return "MigrationManager[module=" + module + ", schema=" + schema + ", files=" + snapshot.files.size() + "]";
    }
}
