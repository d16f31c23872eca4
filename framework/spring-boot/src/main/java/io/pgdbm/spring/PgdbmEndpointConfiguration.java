package io.pgdbm.spring;

import io.pgdbm.DatabaseManager;
import io.pgdbm.PoolStats;
import io.pgdbm.ReplicaStatus;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.DriftReport;
import io.pgdbm.migrations.MigrationInfo;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.MigrationStatus;
import io.pgdbm.migrations.SchemaProvisioner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code pgdbm} actuator endpoint, where the application has Spring Boot's actuator: expose it as any other
 * ({@code management.endpoints.web.exposure.include=health,pgdbm}).
 */
@AutoConfiguration(
        after = PgdbmAutoConfiguration.class,
        afterName = "org.springframework.boot.flyway.autoconfigure.FlywayEndpointAutoConfiguration")
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(SharedPool.class)
public class PgdbmEndpointConfiguration {

    /**
     * Spring Boot's {@code /actuator/flyway}, listing each module's Flyway ({@code pgdbm.flyway.<module>}) beside
     * any Flyway of the application's own. Spring Boot registers the endpoint only when it finds a Flyway it could
     * inject, and pgdbm's are deliberately not injectable; so where Boot did not, pgdbm does.
     */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.flyway.actuate.endpoint.FlywayEndpoint")
    static class FlywayEndpointConfiguration {
        @Bean
        @ConditionalOnMissingBean
        org.springframework.boot.flyway.actuate.endpoint.FlywayEndpoint flywayEndpoint(
                org.springframework.context.ApplicationContext context) {
            return new org.springframework.boot.flyway.actuate.endpoint.FlywayEndpoint(context);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    PgdbmEndpoint pgdbmEndpoint(SharedPool pool, PgdbmModules modules, PgdbmProperties properties, BeanFactory beans) {
        return new PgdbmEndpoint(pool, modules, properties, beans);
    }

    /**
     * {@code GET /actuator/pgdbm}: the pool, its replicas, and each module with its schema, database and
     * migration state. {@code GET /actuator/pgdbm/{module}}: the module's migration history, one entry per
     * migration (what {@code /actuator/flyway} shows for a Flyway bean). {@code GET
     * /actuator/pgdbm/{module}/{schemasLike}}: the module's drift across tenant schemas matching a LIKE pattern.
     */
    @Endpoint(id = "pgdbm")
    public static class PgdbmEndpoint {
        private final SharedPool pool;
        private final PgdbmModules modules;
        private final PgdbmProperties properties;
        private final BeanFactory beans;

        PgdbmEndpoint(SharedPool pool, PgdbmModules modules, PgdbmProperties properties, BeanFactory beans) {
            this.pool = pool;
            this.modules = modules;
            this.properties = properties;
            this.beans = beans;
        }

        @ReadOperation
        public Map<String, Object> overview() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("pool", pool(pool));
            List<Map<String, Object>> replicas = new ArrayList<>();
            for (ReplicaStatus replica : pool.replicaStatus()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("server", replica.server());
                entry.put("state", replica.state().name().toLowerCase(Locale.ROOT));
                replica.lag().ifPresent(lag -> entry.put("lagMillis", lag.toMillis()));
                replica.problem().ifPresent(problem -> entry.put("problem", problem));
                replicas.add(entry);
            }
            if (!replicas.isEmpty()) {
                out.put("replicas", replicas);
                out.put("replicaFallbacks", pool.replicaFallbacks());
            }
            List<Map<String, Object>> list = new ArrayList<>();
            for (String name : modules.graph().order()) {
                DatabaseManager manager = manager(name);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", name);
                entry.put("schema", manager.schema().orElse(""));
                entry.put("pool", manager.pool().name());
                entry.put("ownDatabase", modules.ownPools().containsKey(name));
                PgdbmProperties.Module module = properties.getModules().get(name);
                if (module.getMigrations() != null) {
                    MigrationStatus status = MigrationManager.of(manager, module.getMigrations(), name)
                            .status();
                    entry.put("upToDate", status.upToDate());
                    entry.put("applied", status.applied().size());
                    entry.put("pending", status.pending().size());
                    entry.put("changed", status.changed().size());
                    entry.put("failed", status.failed().size());
                    entry.put("missing", status.missing().size());
                    if (modules.migrationResults().containsKey(name)) {
                        entry.put(
                                "atStartup",
                                modules.migrationResults()
                                        .get(name)
                                        .status()
                                        .name()
                                        .toLowerCase(Locale.ROOT));
                    }
                }
                list.add(entry);
            }
            out.put("modules", list);
            return out;
        }

        @ReadOperation
        public Map<String, Object> module(@Selector String name) {
            PgdbmProperties.Module module = known(name);
            DatabaseManager manager = manager(name);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", name);
            out.put("schema", manager.schema().orElse(""));
            List<Map<String, Object>> history = new ArrayList<>();
            if (module.getMigrations() != null) {
                MigrationStatus status = MigrationManager.of(manager, module.getMigrations(), name)
                        .status();
                out.put("historyTable", status.historyTable());
                for (MigrationInfo info : status.migrations()) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    info.version().ifPresent(version -> entry.put("version", version));
                    entry.put("description", info.description());
                    entry.put("file", info.file());
                    entry.put("state", info.state().name().toLowerCase(Locale.ROOT));
                    info.checksum().ifPresent(checksum -> entry.put("checksum", checksum));
                    info.appliedAt().ifPresent(at -> entry.put("appliedAt", at.toString()));
                    info.executionTimeMillis().ifPresent(ms -> entry.put("executionTimeMillis", ms));
                    history.add(entry);
                }
            }
            out.put("migrations", history);
            return out;
        }

        @ReadOperation
        public Map<String, Object> tenants(@Selector String name, @Selector String schemasLike) {
            PgdbmProperties.Module module = known(name);
            if (module.getMigrations() == null) {
                throw new IllegalArgumentException("Module '" + name + "' has no migrations");
            }
            SharedPool modulePool = manager(name).pool();
            SchemaProvisioner provisioner = SchemaProvisioner.of(modulePool, module.getMigrations(), name);
            List<String> schemas = provisioner.schemasLike(schemasLike);
            DriftReport drift = provisioner.drift(schemas);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("module", name);
            out.put("schemas", schemas.size());
            Map<String, Long> counts = new LinkedHashMap<>();
            drift.counts().forEach((state, count) -> counts.put(state.name().toLowerCase(Locale.ROOT), count));
            out.put("states", counts);
            List<Map<String, Object>> notUpToDate = new ArrayList<>();
            for (DriftReport.Tenant tenant : drift.tenants()) {
                if (tenant.state() != DriftReport.State.UP_TO_DATE) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("schema", tenant.schema());
                    entry.put("state", tenant.state().name().toLowerCase(Locale.ROOT));
                    entry.put("behind", tenant.behind());
                    entry.put("ahead", tenant.ahead());
                    entry.put("changed", tenant.changed());
                    entry.put("failed", tenant.failed());
                    notUpToDate.add(entry);
                }
            }
            out.put("notUpToDate", notUpToDate);
            return out;
        }

        private PgdbmProperties.Module known(String name) {
            PgdbmProperties.Module module = properties.getModules().get(name);
            if (module == null || !module.isEnabled()) {
                throw new IllegalArgumentException(
                        "No module '" + name + "' (modules: " + modules.graph().order() + ")");
            }
            return module;
        }

        private DatabaseManager manager(String name) {
            return BeanFactoryAnnotationUtils.qualifiedBeanOfType(beans, DatabaseManager.class, name);
        }

        private static Map<String, Object> pool(SharedPool pool) {
            PoolStats stats = pool.stats();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", pool.name());
            out.put("total", stats.total());
            out.put("active", stats.active());
            out.put("idle", stats.idle());
            out.put("waiting", stats.waiting());
            out.put("min", stats.min());
            out.put("max", stats.max());
            return out;
        }
    }
}
