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
public final class PgdbmModules {
    private static final Logger LOG = LoggerFactory.getLogger(PgdbmModules.class);

    private final SharedPool pool;
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
        return builder.build();
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

    /** The manager of {@code name}, its migrations applied; called once per module bean. */
    DatabaseManager create(String name) {
        PgdbmProperties.Module module = properties.getModules().get(name);
        String schema = Optional.ofNullable(module.getSchema()).orElse(name);
        DatabaseManager manager = pool.manager(schema)
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
        if (module.getMigrations() != null && properties.isMigrateOnStartup()) {
            MigrationResult result =
                    MigrationManager.of(manager, module.getMigrations(), name).applyPending();
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
        return manager;
    }
}
