package io.pgdbm.internal;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.SharedPool;
import org.jooq.Configuration;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DataSourceConnectionProvider;
import org.jooq.impl.DefaultConfiguration;

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
    private final StatementCache statements;
    private final Configuration jooq;
    private final DSLContext dsl;

    public ManagerContext(SharedPool pool, String schema, Settings settings) {
        this.pool = pool;
        this.schema = schema;
        this.statements = new StatementCache(schema, STATEMENT_CACHE_CAPACITY);
        this.jooq = new DefaultConfiguration()
                .set(SQLDialect.POSTGRES)
                .set(new DataSourceConnectionProvider(pool.connections()))
                .set(settings);
        this.dsl = DSL.using(jooq);
    }

    public SharedPool pool() {
        return pool;
    }

    public DatabaseConfig config() {
        return pool.config();
    }

    /** Null when the manager has no schema. */
    public String schema() {
        return schema;
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
