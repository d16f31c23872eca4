package io.pgdbm.internal;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.SharedPool;
import io.pgdbm.monitoring.QueryMonitor;
import org.jooq.Configuration;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultExecuteListenerProvider;

/**
 * What every operation of one manager shares: its pool, schema, statement cache and jOOQ configuration.
 * Built once when the manager is made and never changed afterwards.
 */
public final class ManagerContext {
    /** Distinct statements remembered per manager before the cache sweeps. */
    static final int STATEMENT_CACHE_CAPACITY = 2048;

    static {
        // jOOQ prints a banner and tips on first use unless told otherwise; pgdbm's users did not ask for them.
        if (System.getProperty("org.jooq.no-logo") == null) {
            System.setProperty("org.jooq.no-logo", "true");
        }
        if (System.getProperty("org.jooq.no-tips") == null) {
            System.setProperty("org.jooq.no-tips", "true");
        }
    }

    private final SharedPool pool;
    private final String schema;
    private final String module;
    private final QueryMonitor monitor;
    private final StatementCache statements;
    private final QueryObserver observer;
    private final Configuration jooq;
    private final DSLContext dsl;

    /**
     * @param module the module name events are tagged with (from {@code forModule}); null when none
     * @param monitor the monitor statements are reported to; null when none
     */
    public ManagerContext(SharedPool pool, String schema, Settings settings, String module, QueryMonitor monitor) {
        this.pool = pool;
        this.schema = schema;
        this.module = module;
        this.monitor = monitor;
        this.statements = new StatementCache(
                schema,
                templateSchemas(settings),
                STATEMENT_CACHE_CAPACITY,
                SessionGuard.builtinsOf(pool.dataSource()));
        this.observer = new QueryObserver(this);
        PoolConnectionProvider connections = new PoolConnectionProvider(pool::acquire, pool.name());
        this.jooq = new DefaultConfiguration()
                .set(SQLDialect.POSTGRES)
                .set(connections)
                .set(new CheckedTransactionProvider(connections))
                // jOOQ's own DEBUG logger prints bind values; ours masks them (and feeds the monitor).
                .set(settings.withExecuteLogging(false))
                .set(
                        new DefaultExecuteListenerProvider(new MonitoringListener(observer)),
                        new DefaultExecuteListenerProvider(new SchemaHintListener(schema, mappedSchemas(settings))))
                // values that do not fit their Java type throw rather than wrap, truncate or turn null
                .set(new StrictConverterProvider());
        this.jooq.set(new RowMappers(this.jooq));
        this.dsl = DSL.using(jooq);
    }

    /**
     * The RenderMapping's canonical schemas and where they render, for {@code {{tables.<canonical>.t}}}: a
     * template names another module's table as its generated classes do, and lands where they land.
     */
    private static java.util.Map<String, String> templateSchemas(Settings settings) {
        java.util.Map<String, String> schemas = new java.util.HashMap<>();
        if (settings.getRenderMapping() != null) {
            for (org.jooq.conf.MappedSchema mapped : settings.getRenderMapping().getSchemata()) {
                if (mapped.getInput() != null && !mapped.getInput().isEmpty() && mapped.getOutput() != null) {
                    schemas.put(mapped.getInput(), mapped.getOutput());
                }
            }
        }
        return schemas;
    }

    /** The schemas of generated classes this manager renders elsewhere (its RenderMapping's inputs). */
    private static java.util.List<String> mappedSchemas(Settings settings) {
        java.util.List<String> inputs = new java.util.ArrayList<>();
        if (settings.getRenderMapping() != null) {
            for (org.jooq.conf.MappedSchema mapped : settings.getRenderMapping().getSchemata()) {
                if (mapped.getInput() != null && !mapped.getInput().isEmpty()) {
                    inputs.add(mapped.getInput());
                }
            }
        }
        return inputs;
    }

    /** A connection from the manager's pool (pgdbm's errors when it is closed or busy). */
    public java.sql.Connection borrow() {
        return pool.acquire();
    }

    public DatabaseConfig config() {
        return pool.config();
    }

    /** Null when the manager has no schema. */
    public String schema() {
        return schema;
    }

    /** Null when the manager belongs to no module. */
    public String module() {
        return module;
    }

    /** Null when the manager is not monitored. */
    public QueryMonitor monitor() {
        return monitor;
    }

    QueryObserver observer() {
        return observer;
    }

    public StatementCache statements() {
        return statements;
    }

    public Configuration jooq() {
        return jooq;
    }

    public DSLContext dsl() {
        return dsl;
    }
}
