package io.pgdbm.spring;

import io.pgdbm.ReplicaFallback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code pgdbm.*}: the shared pool and the modules on it.
 *
 * <pre>
 * pgdbm.url=postgresql://app:secret@db:5432/app
 * pgdbm.max-connections=20
 * pgdbm.modules.users.schema=users
 * pgdbm.modules.users.migrations=classpath:db/users
 * pgdbm.modules.orders.schema=orders
 * pgdbm.modules.orders.migrations=classpath:db/orders
 * pgdbm.modules.orders.depends-on=users
 * </pre>
 */
@ConfigurationProperties("pgdbm")
public class PgdbmProperties {
    /**
     * The database: a libpq URI (postgresql://user:password@host:5432/db) or a jdbc:postgresql: URL. Without it,
     * spring.datasource.url/username/password, then DATABASE_URL and the PG* variables are used.
     */
    private @Nullable String url;

    /**
     * A direct connection for migrations when url points at a connection pooler (PgBouncer): their advisory
     * lock is session-level. What it leaves out (user, password, TLS) comes from the main connection.
     */
    private @Nullable String migrationUrl;

    /**
     * url points at a pooler in transaction mode (PgBouncer pool_mode=transaction): no session settings at
     * connect time (set timeouts with ALTER ROLE), no named prepared statements, session changes refused.
     */
    private boolean transactionPooling;

    /**
     * Read replicas (libpq URIs or jdbc:postgresql: URLs) that manager.replica() reads from; what each leaves out
     * (user, password, TLS) comes from the main connection.
     */
    private List<String> replicaUrls = new ArrayList<>();

    /** How far behind the primary a replica may be and still serve reads; no bound by default. */
    private @Nullable Duration replicaMaxLag;

    /** Where replica() reads go when no replica can serve them: primary (default) or fail. */
    private ReplicaFallback replicaFallback = ReplicaFallback.PRIMARY;

    /** The schema of the default (unqualified) DatabaseManager bean; none by default. */
    private @Nullable String schema;

    /** Connections kept open when idle. */
    private @Nullable Integer minConnections;

    /** The most connections the shared pool opens, for all modules together. */
    private @Nullable Integer maxConnections;

    /** How long to wait for the server to accept a connection. */
    private @Nullable Duration connectTimeout;

    /** How long a caller waits for a free pooled connection. */
    private @Nullable Duration acquireTimeout;

    /** statement_timeout of every connection; 0 disables it. Default 60s. */
    private @Nullable Duration statementTimeout;

    /** lock_timeout of every connection; 0 disables it. Default 5s. */
    private @Nullable Duration lockTimeout;

    /** idle_in_transaction_session_timeout of every connection; 0 disables it. Default 60s. */
    private @Nullable Duration idleInTransactionSessionTimeout;

    /** application_name, as pg_stat_activity shows it. Default the Spring application name, else pgdbm. */
    private @Nullable String applicationName;

    /** Extra server settings sent when a connection opens, e.g. work_mem: 64MB. */
    private Map<String, String> serverSettings = new LinkedHashMap<>();

    /** Whether modules' migrations are applied when their manager beans are created. */
    private boolean migrateOnStartup = true;

    /**
     * Whether start-up fails when a transaction manager over a data source exists but none covers pgdbm's
     * pool (so {@code @Transactional} would not cover pgdbm's work). Turn off only when pgdbm deliberately
     * runs outside those transactions, e.g. beside a second database of the application's own.
     */
    private boolean checkTransactionManager = true;

    /** The modules sharing the pool, by name. */
    private Map<String, Module> modules = new LinkedHashMap<>();

    /**
     * One module: a schema on the shared pool (or, with {@code url}, in a database of its own), its migrations
     * and what it depends on.
     */
    public static class Module {
        /** The module's schema; default the module name. */
        private @Nullable String schema;

        /** Where the module's migrations are (classpath:db/name or a directory); none means no migrations. */
        private @Nullable String migrations;

        /** Modules whose migrations must be applied first. */
        private List<String> dependsOn = new ArrayList<>();

        /** Whether the module gets a manager bean and its migrations run. */
        private boolean enabled = true;

        /** The schema the module's generated jOOQ classes name; default the module name. */
        private @Nullable String canonicalSchema;

        /**
         * A database of the module's own (libpq URI or jdbc:postgresql: URL): the module gets a pool of its own
         * there, with its migrations and health, instead of a schema on the shared pool. What the URL leaves
         * out (credentials, timeouts) comes from the shared pool's settings.
         */
        private @Nullable String url;

        /** The direct connection for the module's migrations when url points at a pooler. */
        private @Nullable String migrationUrl;

        /** The most connections the module's own pool opens (with url); default the shared pool's. */
        private @Nullable Integer maxConnections;

        /**
         * Whether the module's schema is distributed by Citus after its migrations: off (default),
         * when-installed (if the database has the citus extension) or required. Either of the last two refuses
         * migrations that would keep the schema from being distributed.
         */
        private io.pgdbm.migrations.Citus.Mode citus = io.pgdbm.migrations.Citus.Mode.OFF;

        public @Nullable String getSchema() {
            return schema;
        }

        public void setSchema(@Nullable String schema) {
            this.schema = schema;
        }

        public @Nullable String getMigrations() {
            return migrations;
        }

        public void setMigrations(@Nullable String migrations) {
            this.migrations = migrations;
        }

        public List<String> getDependsOn() {
            return dependsOn;
        }

        public void setDependsOn(List<String> dependsOn) {
            this.dependsOn = dependsOn;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getCanonicalSchema() {
            return canonicalSchema;
        }

        public void setCanonicalSchema(@Nullable String canonicalSchema) {
            this.canonicalSchema = canonicalSchema;
        }

        public @Nullable String getUrl() {
            return url;
        }

        public void setUrl(@Nullable String url) {
            this.url = url;
        }

        public @Nullable String getMigrationUrl() {
            return migrationUrl;
        }

        public void setMigrationUrl(@Nullable String migrationUrl) {
            this.migrationUrl = migrationUrl;
        }

        public @Nullable Integer getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(@Nullable Integer maxConnections) {
            this.maxConnections = maxConnections;
        }

        public io.pgdbm.migrations.Citus.Mode getCitus() {
            return citus;
        }

        public void setCitus(io.pgdbm.migrations.Citus.Mode citus) {
            this.citus = citus;
        }

        /** Whether the module lives in a database of its own. */
        boolean ownDatabase() {
            return url != null && !url.isBlank();
        }
    }

    /** Query monitoring of the managers the starter makes (the default one and every module's). */
    private final Monitoring monitoring = new Monitoring();

    /** What a Spring MVC application answers when a request fails on the database. */
    private final Web web = new Web();

    public Web getWeb() {
        return web;
    }

    /** {@code pgdbm.web.*}. */
    public static class Web {
        private final ProblemDetails problemDetails = new ProblemDetails();

        public ProblemDetails getProblemDetails() {
            return problemDetails;
        }
    }

    /**
     * {@code pgdbm.web.problem-details.*}: pgdbm's failures as problem details (503 with Retry-After, 409, 400,
     * 500).
     */
    public static class ProblemDetails {
        /** Answer requests that fail on the database with problem details. */
        private boolean enabled = true;

        /** The Retry-After a 503 carries (rounded to whole seconds, at least 1). */
        private Duration retryAfter = Duration.ofSeconds(1);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getRetryAfter() {
            return retryAfter;
        }

        public void setRetryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
        }
    }

    public Monitoring getMonitoring() {
        return monitoring;
    }

    /** {@code pgdbm.monitoring.*}: a {@link io.pgdbm.monitoring.QueryMonitor} attached to the starter's managers. */
    public static class Monitoring {
        /** Attach a query monitor (counts, timings per statement, slow-query warnings, query timers). */
        private boolean enabled;

        /** Statements at least this slow are logged as warnings; none when unset. */
        private @Nullable Duration slowQueryThreshold;

        /** How many recent statements the monitor keeps. */
        private int historySize = 100;

        /** Record statements' arguments (masked) in the history and slow-query warnings. */
        private boolean recordParameters;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable Duration getSlowQueryThreshold() {
            return slowQueryThreshold;
        }

        public void setSlowQueryThreshold(@Nullable Duration slowQueryThreshold) {
            this.slowQueryThreshold = slowQueryThreshold;
        }

        public int getHistorySize() {
            return historySize;
        }

        public void setHistorySize(int historySize) {
            this.historySize = historySize;
        }

        public boolean isRecordParameters() {
            return recordParameters;
        }

        public void setRecordParameters(boolean recordParameters) {
            this.recordParameters = recordParameters;
        }
    }

    public @Nullable String getUrl() {
        return url;
    }

    public void setUrl(@Nullable String url) {
        this.url = url;
    }

    public @Nullable String getMigrationUrl() {
        return migrationUrl;
    }

    public void setMigrationUrl(@Nullable String migrationUrl) {
        this.migrationUrl = migrationUrl;
    }

    public List<String> getReplicaUrls() {
        return replicaUrls;
    }

    public void setReplicaUrls(List<String> replicaUrls) {
        this.replicaUrls = replicaUrls;
    }

    public @Nullable Duration getReplicaMaxLag() {
        return replicaMaxLag;
    }

    public void setReplicaMaxLag(@Nullable Duration replicaMaxLag) {
        this.replicaMaxLag = replicaMaxLag;
    }

    public ReplicaFallback getReplicaFallback() {
        return replicaFallback;
    }

    public void setReplicaFallback(ReplicaFallback replicaFallback) {
        this.replicaFallback = replicaFallback;
    }

    public boolean isTransactionPooling() {
        return transactionPooling;
    }

    public void setTransactionPooling(boolean transactionPooling) {
        this.transactionPooling = transactionPooling;
    }

    public @Nullable String getSchema() {
        return schema;
    }

    public void setSchema(@Nullable String schema) {
        this.schema = schema;
    }

    public @Nullable Integer getMinConnections() {
        return minConnections;
    }

    public void setMinConnections(@Nullable Integer minConnections) {
        this.minConnections = minConnections;
    }

    public @Nullable Integer getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(@Nullable Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    public @Nullable Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(@Nullable Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public @Nullable Duration getAcquireTimeout() {
        return acquireTimeout;
    }

    public void setAcquireTimeout(@Nullable Duration acquireTimeout) {
        this.acquireTimeout = acquireTimeout;
    }

    public @Nullable Duration getStatementTimeout() {
        return statementTimeout;
    }

    public void setStatementTimeout(@Nullable Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
    }

    public @Nullable Duration getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(@Nullable Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    public @Nullable Duration getIdleInTransactionSessionTimeout() {
        return idleInTransactionSessionTimeout;
    }

    public void setIdleInTransactionSessionTimeout(@Nullable Duration idleInTransactionSessionTimeout) {
        this.idleInTransactionSessionTimeout = idleInTransactionSessionTimeout;
    }

    public @Nullable String getApplicationName() {
        return applicationName;
    }

    public void setApplicationName(@Nullable String applicationName) {
        this.applicationName = applicationName;
    }

    public Map<String, String> getServerSettings() {
        return serverSettings;
    }

    public void setServerSettings(Map<String, String> serverSettings) {
        this.serverSettings = serverSettings;
    }

    public boolean isCheckTransactionManager() {
        return checkTransactionManager;
    }

    public void setCheckTransactionManager(boolean checkTransactionManager) {
        this.checkTransactionManager = checkTransactionManager;
    }

    public boolean isMigrateOnStartup() {
        return migrateOnStartup;
    }

    public void setMigrateOnStartup(boolean migrateOnStartup) {
        this.migrateOnStartup = migrateOnStartup;
    }

    public Map<String, Module> getModules() {
        return modules;
    }

    public void setModules(Map<String, Module> modules) {
        this.modules = modules;
    }
}
