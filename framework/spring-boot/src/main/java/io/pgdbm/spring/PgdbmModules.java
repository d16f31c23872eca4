package io.pgdbm.spring;

import io.pgdbm.DatabaseManager;
import io.pgdbm.ModuleDescriptor;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.MigrationResult;
import io.pgdbm.migrations.ModuleGraph;
import io.pgdbm.monitoring.QueryMonitor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured modules: their dependency order and, per module, the manager bean's factory, which
 * applies the module's migrations before handing the manager out. Spring creates module beans after the
 * beans of the modules they depend on, so migrations run in dependency order.
 */
public final class PgdbmModules implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgdbmModules.class);

    private final SharedPool pool;
    /** The pools of modules with a database of their own ({@code pgdbm.modules.<name>.url}), by module. */
    private final Map<String, SharedPool> ownPools = new LinkedHashMap<>();

    private final PgdbmProperties properties;
    private final ModuleGraph graph;
    private final Map<String, MigrationResult> results = new LinkedHashMap<>();

    private final QueryMonitor monitor;

    PgdbmModules(SharedPool pool, PgdbmProperties properties, QueryMonitor monitor) {
        this.pool = pool;
        this.properties = properties;
        this.monitor = monitor;
        this.graph = graph(properties);
    }

    /** The enabled modules and their dependencies, checked for unknown names and cycles. */
    static ModuleGraph graph(PgdbmProperties properties) {
        ModuleGraph.Builder builder = ModuleGraph.builder();
        properties.getModules().forEach((name, module) -> {
            if (module.isEnabled()) {
                builder.module(name, module.getDependsOn());
            }
        });
        ModuleGraph graph = builder.build();
        properties.getModules().forEach((name, module) -> {
            if (!module.isEnabled()) {
                return;
            }
            for (String dependency : module.getDependsOn()) {
                PgdbmProperties.Module other = properties.getModules().get(dependency);
                String here = module.ownDatabase() ? module.getUrl() : null;
                String there = other == null || !other.ownDatabase() ? null : other.getUrl();
                if (!java.util.Objects.equals(here, there)) {
                    throw new io.pgdbm.ConfigurationException("Module '" + name + "' depends on module '" + dependency
                            + "', but they live in different databases (pgdbm.modules.<name>.url): a query of one"
                            + " cannot reach the other's tables. Put them in one database, or drop the dependency.");
                }
            }
        });
        return graph;
    }

    /** The pools of the modules that have a database of their own, by module name. */
    public synchronized Map<String, SharedPool> ownPools() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ownPools));
    }

    /** Closes the modules' own pools (the shared pool is closed by its bean). */
    @Override
    public synchronized void close() {
        ownPools.values().forEach(SharedPool::close);
        ownPools.clear();
    }

    /** The pool {@code name} lives on: the shared one, or — with a url — one of its own, opened now. */
    private synchronized SharedPool poolOf(String name, PgdbmProperties.Module module) {
        if (!module.ownDatabase()) {
            return pool;
        }
        SharedPool own = ownPools.get(name);
        if (own == null) {
            io.pgdbm.DatabaseConfig.Builder config = pool.config().toBuilder()
                    .url(module.getUrl())
                    .migrationUrl(module.getMigrationUrl())
                    .schema(null);
            if (module.getMaxConnections() != null) {
                config.maxConnections(module.getMaxConnections());
            }
            own = SharedPool.create(config.build());
            ownPools.put(name, own);
            LOG.info("pgdbm module '{}' has a database of its own: pool {}", name, own.name());
        }
        return own;
    }

    /** Modules in the order their migrations apply. */
    public ModuleGraph graph() {
        return graph;
    }

    /** What start-up migrations did, per module, in order. */
    public synchronized Map<String, MigrationResult> migrationResults() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    /** What {@code name} depends on, directly or through other modules. */
    private java.util.Set<String> dependencies(String name) {
        java.util.Set<String> found = new java.util.LinkedHashSet<>();
        java.util.Deque<String> todo =
                new java.util.ArrayDeque<>(properties.getModules().get(name).getDependsOn());
        while (!todo.isEmpty()) {
            String next = todo.pop();
            PgdbmProperties.Module module = properties.getModules().get(next);
            if (module != null && found.add(next)) {
                todo.addAll(module.getDependsOn());
            }
        }
        return found;
    }

    /** Module {@code name}'s Flyway, read-only, over the module's manager (a bean created before it). */
    org.flywaydb.core.Flyway flyway(String name, DatabaseManager manager) {
        return MigrationManager.of(manager, properties.getModules().get(name).getMigrations(), name)
                .flyway();
    }

    /** The schema module {@code name} lives in: its own setting, or its name. */
    private static String schemaOf(String name, PgdbmProperties.Module module) {
        return Optional.ofNullable(module.getSchema()).orElse(name);
    }

    /** The modules found up to date when the first module bean was made; null until then. */
    private Map<String, MigrationResult> upToDateAtStartUp;

    /**
     * The modules on the shared pool that have nothing to apply, checked together when the first module bean is
     * made ({@link ModuleGraph#upToDate}: files read and histories queried several modules at a time), so that
     * each module bean does not wait for its own check. A module found pending, or with a database of its own, is
     * checked and migrated by its bean as before; a check that fails fails the start-up, before anything applies.
     */
    private synchronized Map<String, MigrationResult> upToDateAtStartUp() {
        if (upToDateAtStartUp == null) {
            upToDateAtStartUp = graph.upToDate(
                    name -> {
                        PgdbmProperties.Module module = properties.getModules().get(name);
                        if (module.getMigrations() == null || module.ownDatabase()) {
                            return null;
                        }
                        return MigrationManager.of(pool.manager(schemaOf(name, module)), module.getMigrations(), name);
                    },
                    ModuleGraph.DEFAULT_PARALLELISM);
        }
        return upToDateAtStartUp;
    }

    /** The manager of {@code name}, its migrations applied; called once per module bean. */
    DatabaseManager create(String name) {
        PgdbmProperties.Module module = properties.getModules().get(name);
        String schema = schemaOf(name, module);
        DatabaseManager manager = poolOf(name, module)
                .manager(schema)
                .forModule(ModuleDescriptor.of(
                        name, Optional.ofNullable(module.getCanonicalSchema()).orElse(name), module.getMigrations()));
        // the modules it depends on, wherever they were deployed: {{tables.<canonical>.t}} and their generated
        // classes render in their schemas
        for (String dependency : dependencies(name)) {
            PgdbmProperties.Module other = properties.getModules().get(dependency);
            String canonical = Optional.ofNullable(other.getCanonicalSchema()).orElse(dependency);
            String deployed = Optional.ofNullable(other.getSchema()).orElse(dependency);
            if (!canonical.equals(deployed)) {
                manager = manager.withSchemaMapping(canonical, deployed);
            }
        }
        if (monitor != null) {
            manager = manager.withMonitor(monitor);
        }
        boolean distribute = false;
        if (module.getCitus() != io.pgdbm.migrations.Citus.Mode.OFF) {
            if (module.getMigrations() != null) {
                MigrationManager.of(manager, module.getMigrations(), name).checkCitus();
            }
            distribute = io.pgdbm.migrations.Citus.installed(manager);
            if (!distribute && module.getCitus() == io.pgdbm.migrations.Citus.Mode.REQUIRED) {
                throw new io.pgdbm.ConfigurationException("Module '" + name + "' has citus: required, but its database"
                        + " has no citus extension: CREATE EXTENSION citus on a Citus 12+ coordinator, or set"
                        + " pgdbm.modules." + name + ".citus=when-installed");
            }
        }
        if (module.getMigrations() != null && properties.isMigrateOnStartup()) {
            MigrationResult checked = upToDateAtStartUp().get(name);
            MigrationResult result = checked != null
                    ? checked
                    : MigrationManager.of(manager, module.getMigrations(), name).applyPending();
            synchronized (this) {
                results.put(name, result);
            }
            LOG.info(
                    "pgdbm module '{}' (schema {}): {} {}",
                    name,
                    schema,
                    result.status(),
                    result.applied().isEmpty() ? "" : result.applied().size() + " migration(s)");
        }
        if (distribute && io.pgdbm.migrations.Citus.distribute(manager)) {
            LOG.info("pgdbm module '{}': distributed schema {} with Citus", name, schema);
        }
        return manager;
    }
}
