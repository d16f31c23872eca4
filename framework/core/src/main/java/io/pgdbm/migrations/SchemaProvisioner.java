package io.pgdbm.migrations;

import io.pgdbm.ConfigurationException;
import io.pgdbm.PgdbmException;
import io.pgdbm.SharedPool;
import io.pgdbm.internal.Identifiers;
import io.pgdbm.internal.migrations.MigrationFile;
import io.pgdbm.internal.migrations.MigrationSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one module's migrations to many schemas at once: the schema-per-tenant pattern. Files are read
 * once; schemas are migrated in parallel with bounded parallelism; one schema's failure is reported and
 * does not stop the others.
 *
 * <pre>{@code
 * ProvisioningReport report = SchemaProvisioner.of(pool, "classpath:db/tenant", "tenant")
 *     .parallelism(4)
 *     .onProgress(p -> log.info("{}/{} {}", p.done(), p.total(), p.schema()))
 *     .provision(List.of("tenant_1", "tenant_2", "tenant_3"));
 * }</pre>
 *
 * <p>Each schema being migrated holds up to three pooled connections (its lock and Flyway's two), so the
 * default parallelism is a third of the pool's maximum. Progress is logged about every tenth schema.
 */
public final class SchemaProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaProvisioner.class);

    /** One schema finished, successfully or not. */
    public record Progress(
            String schema,
            boolean succeeded,
            int done,
            int total,
            @Nullable PgdbmException error) {}

    /** Called once per schema as it finishes, from worker threads (one call at a time). */
    @FunctionalInterface
    public interface ProgressListener {
        void onProgress(Progress progress);
    }

    private final SharedPool pool;
    private Citus.Mode citus = Citus.Mode.OFF;
    private int stopAfterFailures = Integer.MAX_VALUE;
    private final String module;
    private final List<MigrationFile> files;
    private int parallelism;
    private ProgressListener listener = progress -> {};

    private SchemaProvisioner(SharedPool pool, String module, List<MigrationFile> files) {
        this.pool = pool;
        this.module = module;
        this.files = files;
        this.parallelism = Math.max(1, pool.config().maxConnections() / 3);
    }

    /** Reads the module's migrations at {@code location} (a path or {@code classpath:…}) once. */
    public static SchemaProvisioner of(SharedPool pool, String location, String moduleName) {
        String module = MigrationManager.validateModule(moduleName);
        return new SchemaProvisioner(
                pool,
                module,
                MigrationManager.load(
                        module,
                        null,
                        () -> MigrationSource.load(
                                location,
                                Thread.currentThread().getContextClassLoader() != null
                                        ? Thread.currentThread().getContextClassLoader()
                                        : SchemaProvisioner.class.getClassLoader())));
    }

    public static SchemaProvisioner of(SharedPool pool, Path directory, String moduleName) {
        String module = MigrationManager.validateModule(moduleName);
        return new SchemaProvisioner(
                pool, module, MigrationManager.load(module, null, () -> MigrationSource.load(directory)));
    }

    /** How many schemas to migrate at once (default: a third of the pool's maximum, at least 1). */
    public SchemaProvisioner parallelism(int parallelism) {
        if (parallelism < 1) {
            throw new ConfigurationException("parallelism (" + parallelism + ") must be at least 1");
        }
        this.parallelism = parallelism;
        return this;
    }

    /**
     * Distributes each schema with Citus after migrating it ({@link Citus}): {@code WHEN_INSTALLED} when the
     * server has the {@code citus} extension, {@code REQUIRED} always (a server without it fails the run before
     * anything is migrated). Either way, migrations that would stop a schema from being distributed are refused
     * before anything runs ({@link MigrationManager#checkCitus()}). Default {@code OFF}.
     */
    public SchemaProvisioner citus(Citus.Mode mode) {
        this.citus = java.util.Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * The stop rule of a run: once {@code failures} schemas have failed, no further schema is started (those
     * already running finish); the report lists the rest as skipped. A later run picks them up: schemas already
     * up to date cost one history read each. Default: never stop.
     *
     * @throws ConfigurationException when {@code failures} is less than 1
     */
    public SchemaProvisioner stopAfterFailures(int failures) {
        if (failures < 1) {
            throw new ConfigurationException("stopAfterFailures (" + failures + ") must be at least 1");
        }
        this.stopAfterFailures = failures;
        return this;
    }

    public SchemaProvisioner onProgress(ProgressListener listener) {
        this.listener = listener;
        return this;
    }

    /**
     * Checks every target's migrations for Citus and whether the server has it, before anything runs.
     *
     * @return whether schemas are to be distributed
     */
    private boolean citusReady(List<String> targets) {
        for (String schema : targets) {
            MigrationManager.of(pool.manager(schema), files, module).checkCitus();
        }
        boolean installed = Citus.installed(pool.manager());
        if (!installed && citus == Citus.Mode.REQUIRED) {
            throw new ConfigurationException(
                    "Module '" + module + "' is to be distributed by Citus (Citus.Mode.REQUIRED),"
                            + " but the database has no citus extension: CREATE EXTENSION citus on a Citus 12+ coordinator, or"
                            + " use Citus.Mode.WHEN_INSTALLED");
        }
        return installed;
    }

    /**
     * The existing schemas whose names match {@code pattern}, a SQL {@code LIKE} pattern ({@code tenant\\_%}),
     * sorted; PostgreSQL's own ({@code pg_…}, {@code information_schema}) are never listed.
     */
    public List<String> schemasLike(String pattern) {
        return pool.manager()
                .fetchAll(
                        String.class,
                        "SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname LIKE $1"
                                + " AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1",
                        pattern);
    }

    /**
     * Runs {@code work} for each schema on at most {@link #parallelism} daemon threads and returns the results in
     * the order of {@code schemas}.
     */
    private <T> List<T> forEachSchema(
            String purpose,
            List<String> schemas,
            java.util.function.Function<String, T> work,
            java.util.function.Supplier<String> interrupted) {
        ExecutorService workers =
                Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, schemas.size())), runnable -> {
                    Thread thread = new Thread(runnable, "pgdbm-" + purpose + "-" + module);
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (String schema : schemas) {
                futures.add(workers.submit(() -> work.apply(schema)));
            }
            List<T> results = new ArrayList<>(futures.size());
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(interrupted.get(), module, null, null, null, null, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new MigrationException(
                    "Module '" + module + "' (" + purpose + ") failed: " + e.getCause(),
                    module,
                    null,
                    null,
                    null,
                    null,
                    e.getCause());
        } finally {
            workers.shutdownNow();
        }
    }

    /**
     * Where each schema of {@code schemas} stands against this module's files — up to date, behind, ahead,
     * changed, failed or missing — read from the schemas' histories in parallel ({@link #parallelism}); nothing
     * is migrated. A schema whose state cannot be read is reported as such; the others are still read.
     *
     * @throws io.pgdbm.IdentifierException before anything is read, when a schema name is invalid
     */
    public DriftReport drift(Collection<String> schemas) {
        List<String> targets = new ArrayList<>(new LinkedHashSet<>(schemas));
        targets.forEach(schema -> Identifiers.requireSchema("tenant schema", schema));
        long started = System.nanoTime();
        java.util.Set<String> existing = new java.util.HashSet<>(
                pool.manager().fetchAll(String.class, "SELECT nspname::text FROM pg_catalog.pg_namespace"));
        List<DriftReport.Tenant> tenants = forEachSchema(
                "drift",
                targets,
                schema -> {
                    if (!existing.contains(schema)) {
                        return new DriftReport.Tenant(
                                schema, DriftReport.State.MISSING, List.of(), List.of(), List.of(), List.of(), "");
                    }
                    try {
                        return DriftReport.Tenant.of(
                                schema,
                                MigrationManager.of(pool.manager(schema), files, module)
                                        .status());
                    } catch (PgdbmException e) {
                        return new DriftReport.Tenant(
                                schema,
                                DriftReport.State.UNREADABLE,
                                List.of(),
                                List.of(),
                                List.of(),
                                List.of(),
                                e.getMessage());
                    }
                },
                () -> "Reading the drift of module '" + module + "' was interrupted");
        return new DriftReport(module, tenants, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Migrates every schema in {@code schemas}; returns when all have finished.
     *
     * @throws io.pgdbm.IdentifierException before anything runs, when a schema name is invalid
     */
    public ProvisioningReport provision(Collection<String> schemas) {
        List<String> targets = new ArrayList<>(new LinkedHashSet<>(schemas));
        targets.forEach(schema -> Identifiers.requireSchema("tenant schema", schema));
        boolean distribute = citus != Citus.Mode.OFF && !targets.isEmpty() && citusReady(targets);
        long started = System.nanoTime();
        List<MigrationResult> succeeded = Collections.synchronizedList(new ArrayList<>());
        Map<String, PgdbmException> failed = Collections.synchronizedMap(new LinkedHashMap<>());
        List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        Object progressLock = new Object();
        int total = targets.size();
        int logEvery = Math.max(1, total / 10);
        forEachSchema(
                "provision",
                targets,
                schema -> {
                    if (failed.size() >= stopAfterFailures) {
                        skipped.add(schema);
                        return null;
                    }
                    PgdbmException error = null;
                    try {
                        MigrationResult result = MigrationManager.of(pool.manager(schema), files, module)
                                .applyPending();
                        if (distribute && Citus.distribute(pool.manager(schema))) {
                            LOG.info("Module '{}': distributed schema {} with Citus", module, schema);
                        }
                        succeeded.add(result);
                    } catch (PgdbmException e) {
                        error = e;
                        failed.put(schema, e);
                        LOG.warn("Module '{}': schema {} failed: {}", module, schema, e.getMessage());
                    }
                    int finished;
                    synchronized (progressLock) {
                        finished = done.incrementAndGet();
                        listener.onProgress(new Progress(schema, error == null, finished, total, error));
                    }
                    if (finished % logEvery == 0 || finished == total) {
                        LOG.info(
                                "Module '{}': provisioned {}/{} schemas ({} failed)",
                                module,
                                finished,
                                total,
                                failed.size());
                    }
                    return null;
                },
                () -> "Provisioning schemas of module '" + module + "' was interrupted after " + succeeded.size()
                        + " succeeded and " + failed.size()
                        + " failed; run it again to finish (done schemas are skipped)");
        if (!skipped.isEmpty()) {
            LOG.warn(
                    "Module '{}': stopped after {} failed schemas; {} not started (run again to continue)",
                    module,
                    failed.size(),
                    skipped.size());
        }
        List<String> notStarted = targets.stream().filter(skipped::contains).toList(); // in the order asked
        return new ProvisioningReport(
                module, succeeded, failed, notStarted, Duration.ofNanos(System.nanoTime() - started));
    }
}
