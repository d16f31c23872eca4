package io.pgdbm;

import io.pgdbm.internal.ConnectionParameters;
import io.pgdbm.internal.ConnectionStrings;
import io.pgdbm.internal.ConnectionStrings.Host;
import io.pgdbm.internal.Identifiers;
import io.pgdbm.internal.Masking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

// Longer than 500 lines on purpose: each of the ~30 settings has its field, accessor, builder setter,
// copy in toBuilder and rule in build(), and they change together. What URLs and the environment mean
// lives in internal/ConnectionParameters, how they are split in internal/ConnectionStrings, how a
// configuration becomes a pool in internal/PoolFactory.
/**
 * How to reach PostgreSQL and how to pool connections to it. Immutable and thread-safe; made by {@link
 * #builder()}, which validates every field once in {@link Builder#build()}.
 *
 * <pre>{@code
 * DatabaseConfig config = DatabaseConfig.builder()
 *     .url("postgresql://app:secret@db.internal:5432/app?sslmode=verify-full")
 *     .sslRootCert(Path.of("/etc/ssl/ca.pem"))
 *     .schema("users")
 *     .maxConnections(20)
 *     .build();
 * }</pre>
 *
 * <p>The URL may be a libpq URI ({@code postgresql://user:password@host1:5432,host2:5433/db?…},
 * percent-encoded), a {@code jdbc:postgresql:} URL, or left out in favour of {@link Builder#host},
 * {@link Builder#port}, {@link Builder#database}, {@link Builder#user} and {@link Builder#password}.
 * {@link #fromEnvironment()} reads {@code DATABASE_URL} and the standard {@code PG*} variables.
 *
 * <p>Defaults: {@code localhost:5432}, 2 to 10 connections, 10 s connect timeout, 30 s acquire timeout,
 * 30 min maximum lifetime, 10 min idle timeout, {@code statement_timeout} 60 s, {@code lock_timeout} 5
 * s, {@code idle_in_transaction_session_timeout} 60 s, {@code jit=off}, application name {@code pgdbm},
 * TLS {@link SslMode#PREFER} (libpq's default), 3 start-up retries starting at 250 ms. Session settings
 * travel in the connection's start-up packet, so they cost nothing when a connection is borrowed.
 *
 * <p>{@link #toString()} masks the password; nothing in pgdbm prints it.
 */
public final class DatabaseConfig {
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private final List<Host> hosts;
    private final @Nullable String database;
    private final @Nullable String user;
    private final @Nullable String password;
    private final @Nullable String schema;
    private final String extensionsSchema;
    private final int minConnections;
    private final int maxConnections;
    private final Duration connectTimeout;
    private final Duration acquireTimeout;
    private final Duration maxLifetime;
    private final Duration idleTimeout;
    private final @Nullable Duration statementTimeout;
    private final @Nullable Duration lockTimeout;
    private final @Nullable Duration idleInTransactionSessionTimeout;
    private final String applicationName;
    private final Map<String, String> serverSettings;
    private final List<String> initSql;
    private final int startupRetries;
    private final Duration startupRetryDelay;
    private final SslMode sslMode;
    private final @Nullable Path sslRootCert;
    private final @Nullable Path sslCert;
    private final @Nullable Path sslKey;
    private final @Nullable String sslPassword;
    private final @Nullable String targetServerType;
    private final Map<String, String> driverProperties;
    private final boolean transactionPooling;
    private final @Nullable DatabaseConfig migrationConfig;
    /** As given, password included: only for {@link #toBuilder()}, never printed. */
    private final @Nullable String migrationUrl;

    private final List<DatabaseConfig> replicas;
    private final List<String> replicaUrls;
    private final @Nullable Duration replicaMaxLag;
    private final ReplicaFallback replicaFallback;
    private final Duration replicaCheckInterval;

    private DatabaseConfig(Builder b, @Nullable DatabaseConfig migrationConfig, List<DatabaseConfig> replicas) {
        this.hosts = List.copyOf(b.hosts);
        this.database = b.database;
        this.user = b.user;
        this.password = b.password;
        this.schema = b.schema;
        this.extensionsSchema = b.extensionsSchema;
        this.minConnections = b.minConnections;
        this.maxConnections = b.maxConnections;
        this.connectTimeout = b.connectTimeout;
        this.acquireTimeout = b.acquireTimeout;
        this.maxLifetime = b.maxLifetime;
        this.idleTimeout = b.idleTimeout;
        this.statementTimeout = b.statementTimeout;
        this.lockTimeout = b.lockTimeout;
        this.idleInTransactionSessionTimeout = b.idleInTransactionSessionTimeout;
        this.applicationName = b.applicationName;
        this.serverSettings = Collections.unmodifiableMap(new LinkedHashMap<>(b.serverSettings));
        this.initSql = List.copyOf(b.initSql);
        this.startupRetries = b.startupRetries;
        this.startupRetryDelay = b.startupRetryDelay;
        this.sslMode = b.sslMode;
        this.sslRootCert = b.sslRootCert;
        this.sslCert = b.sslCert;
        this.sslKey = b.sslKey;
        this.sslPassword = b.sslPassword;
        this.targetServerType = b.targetServerType;
        this.driverProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.driverProperties));
        this.transactionPooling = b.transactionPooling;
        this.migrationConfig = migrationConfig;
        this.migrationUrl = migrationConfig == null ? null : b.migrationUrl;
        this.replicas = List.copyOf(replicas);
        this.replicaUrls = List.copyOf(b.replicaUrls);
        this.replicaMaxLag = b.replicaMaxLag;
        this.replicaFallback = b.replicaFallback;
        this.replicaCheckInterval = b.replicaCheckInterval;
    }

    /** A builder with every default set. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code DATABASE_URL}, else the {@code PG*} variables, read from this process's environment. */
    public static DatabaseConfig fromEnvironment() {
        return builder().fromEnvironment(System.getenv()).build();
    }

    /** A builder holding every value of this configuration, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.hosts = new ArrayList<>(hosts);
        b.database = database;
        b.user = user;
        b.password = password;
        b.schema = schema;
        b.extensionsSchema = extensionsSchema;
        b.minConnections = minConnections;
        b.minConnectionsSet = true;
        b.maxConnections = maxConnections;
        b.connectTimeout = connectTimeout;
        b.acquireTimeout = acquireTimeout;
        b.maxLifetime = maxLifetime;
        b.idleTimeout = idleTimeout;
        b.statementTimeout = statementTimeout;
        b.lockTimeout = lockTimeout;
        b.idleInTransactionSessionTimeout = idleInTransactionSessionTimeout;
        b.applicationName = applicationName;
        b.serverSettings = new LinkedHashMap<>(serverSettings);
        b.initSql = new ArrayList<>(initSql);
        b.startupRetries = startupRetries;
        b.startupRetryDelay = startupRetryDelay;
        b.sslMode = sslMode;
        b.sslRootCert = sslRootCert;
        b.sslCert = sslCert;
        b.sslKey = sslKey;
        b.sslPassword = sslPassword;
        b.targetServerType = targetServerType;
        b.driverProperties = new LinkedHashMap<>(driverProperties);
        Builder defaults = new Builder();
        b.sessionSettingsSet = !java.util.Objects.equals(statementTimeout, defaults.statementTimeout)
                || !java.util.Objects.equals(lockTimeout, defaults.lockTimeout)
                || !java.util.Objects.equals(idleInTransactionSessionTimeout, defaults.idleInTransactionSessionTimeout)
                || !serverSettings.equals(defaults.serverSettings)
                || !extensionsSchema.equals(defaults.extensionsSchema);
        b.transactionPooling = transactionPooling;
        b.migrationUrl = migrationUrl;
        b.replicaUrls = new ArrayList<>(replicaUrls);
        b.replicaMaxLag = replicaMaxLag;
        b.replicaFallback = replicaFallback;
        b.replicaCheckInterval = replicaCheckInterval;
        return b;
    }

    /** The first host; see {@link #hostsDescription()} for all of them. */
    public String host() {
        return hosts.get(0).name();
    }

    /** The first host's port. */
    public int port() {
        return hosts.get(0).port();
    }

    /** {@code host:port[,host:port…]}, as in a URL. */
    public String hostsDescription() {
        return String.join(",", hosts.stream().map(Host::toString).toList());
    }

    /** The database name; empty means the server's default (the user's name). */
    public Optional<String> database() {
        return Optional.ofNullable(database);
    }

    /** The user name; empty means the driver's default (the operating-system user). */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The password. Never log it. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /**
     * Where migrations install an extension whose {@code CREATE EXTENSION} names no schema: {@code public}
     * unless configured. Extensions are shared by every module and tenant of the database; installed in the
     * schema a migration runs in, no other schema would find them.
     */
    public String extensionsSchema() {
        return extensionsSchema;
    }

    /** The schema of a manager made from this configuration; empty means none (unqualified names). */
    public Optional<String> schema() {
        return Optional.ofNullable(schema);
    }

    public int minConnections() {
        return minConnections;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long a caller waits for a free pooled connection before a {@link ConnectionException}. */
    public Duration acquireTimeout() {
        return acquireTimeout;
    }

    public Duration maxLifetime() {
        return maxLifetime;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** {@code statement_timeout}; empty means disabled. */
    public Optional<Duration> statementTimeout() {
        return Optional.ofNullable(statementTimeout);
    }

    /** {@code lock_timeout}; empty means disabled. */
    public Optional<Duration> lockTimeout() {
        return Optional.ofNullable(lockTimeout);
    }

    /** {@code idle_in_transaction_session_timeout}; empty means disabled. */
    public Optional<Duration> idleInTransactionSessionTimeout() {
        return Optional.ofNullable(idleInTransactionSessionTimeout);
    }

    public String applicationName() {
        return applicationName;
    }

    /** Extra server settings sent at connect time (defaults include {@code jit=off}). */
    public Map<String, String> serverSettings() {
        return serverSettings;
    }

    /**
     * Every session setting a connection starts with: the timeouts and {@link #serverSettings()}, in the
     * units PostgreSQL reads (milliseconds for the timeouts).
     */
    public Map<String, String> sessionSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("statement_timeout", millis(statementTimeout));
        settings.put("lock_timeout", millis(lockTimeout));
        settings.put("idle_in_transaction_session_timeout", millis(idleInTransactionSessionTimeout));
        if (!extensionsSchema.equals("public")) {
            // functions of shared extensions resolve unqualified, as they do when they live in public
            settings.put("search_path", "\"$user\", public, \"" + extensionsSchema + "\"");
        }
        settings.putAll(serverSettings);
        return settings;
    }

    /** SQL run once on every new physical connection (not on every borrow). */
    public List<String> initSql() {
        return initSql;
    }

    public int startupRetries() {
        return startupRetries;
    }

    public Duration startupRetryDelay() {
        return startupRetryDelay;
    }

    public SslMode sslMode() {
        return sslMode;
    }

    public Optional<Path> sslRootCert() {
        return Optional.ofNullable(sslRootCert);
    }

    public Optional<Path> sslCert() {
        return Optional.ofNullable(sslCert);
    }

    public Optional<Path> sslKey() {
        return Optional.ofNullable(sslKey);
    }

    /** The client key's password. Never log it. */
    public Optional<String> sslPassword() {
        return Optional.ofNullable(sslPassword);
    }

    /** pgJDBC's {@code targetServerType} (any, primary, secondary, preferSecondary) for several hosts. */
    public Optional<String> targetServerType() {
        return Optional.ofNullable(targetServerType);
    }

    /** Extra pgJDBC connection properties, passed through unchanged. */
    public Map<String, String> driverProperties() {
        return driverProperties;
    }

    /**
     * Whether the URL points at a pooler in transaction mode (PgBouncer's {@code pool_mode = transaction}):
     * then no session settings travel in the start-up packet, pgJDBC prepares no named statements ({@code
     * prepareThreshold=0} unless a driver property says otherwise), statements that change the server session
     * are refused, and migrations need {@link #migrationConfig()}.
     */
    public boolean transactionPooling() {
        return transactionPooling;
    }

    /**
     * Where migrations connect when they must bypass a pooler (their advisory lock is session-level): this
     * configuration with {@link Builder#migrationUrl}'s address and credentials, never transaction-pooled.
     * Empty when migrations use the pool itself.
     */
    public Optional<DatabaseConfig> migrationConfig() {
        return Optional.ofNullable(migrationConfig);
    }

    /**
     * The read replicas that {@link DatabaseManager#replica()} reads from, one configuration each: this one with
     * the replica's address (and whatever else its URL says), {@code default_transaction_read_only} on, short
     * connect and acquire timeouts (at most 2 s) so that a lost replica is passed over quickly, and no
     * connections kept idle. Empty when none are configured: then {@code replica()} reads from the primary.
     */
    public List<DatabaseConfig> replicas() {
        return replicas;
    }

    /**
     * How far behind the primary a replica may be (its replay lag, from {@code pg_last_xact_replay_timestamp()})
     * and still serve reads; empty for no bound.
     */
    public Optional<Duration> replicaMaxLag() {
        return Optional.ofNullable(replicaMaxLag);
    }

    /** What reads do when no replica can serve them. */
    public ReplicaFallback replicaFallback() {
        return replicaFallback;
    }

    /** How often replicas are checked (reachable, in recovery, replay lag): at most once per interval, on a read. */
    public Duration replicaCheckInterval() {
        return replicaCheckInterval;
    }

    /** A pgJDBC URL without credentials: {@code jdbc:postgresql://host:port[,…]/database}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + hostsDescription() + "/" + (database == null ? "" : urlEncode(database));
    }

    /** A libpq URI with the password masked, for messages. */
    public String describe() {
        StringBuilder url = new StringBuilder("postgresql://");
        if (user != null) {
            url.append(user);
            if (password != null) {
                url.append(':').append(Masking.MASK);
            }
            url.append('@');
        }
        url.append(hostsDescription()).append('/');
        if (database != null) {
            url.append(database);
        }
        return url.toString();
    }

    /** The configuration with the password masked. */
    @Override
    public String toString() {
        return "DatabaseConfig[url=" + describe()
                + ", schema=" + schema
                + (extensionsSchema.equals("public") ? "" : ", extensionsSchema=" + extensionsSchema)
                + ", connections=" + minConnections + ".." + maxConnections
                + ", connectTimeout=" + format(connectTimeout)
                + ", acquireTimeout=" + format(acquireTimeout)
                + ", statementTimeout=" + format(statementTimeout)
                + ", lockTimeout=" + format(lockTimeout)
                + ", idleInTransactionSessionTimeout=" + format(idleInTransactionSessionTimeout)
                + ", applicationName=" + applicationName
                + ", sslMode=" + sslMode.libpqName()
                + (sslRootCert == null ? "" : ", sslRootCert=" + sslRootCert)
                + (sslCert == null ? "" : ", sslCert=" + sslCert)
                + (sslKey == null ? "" : ", sslKey=" + sslKey)
                + ", serverSettings=" + serverSettings
                + (transactionPooling ? ", transactionPooling=true" : "")
                + (migrationConfig == null ? "" : ", migrationUrl=" + migrationConfig.describe())
                + (replicas.isEmpty()
                        ? ""
                        : ", replicas="
                                + replicas.stream()
                                        .map(DatabaseConfig::describe)
                                        .toList()
                                + (replicaMaxLag == null ? "" : ", replicaMaxLag=" + format(replicaMaxLag))
                                + ", replicaFallback=" + replicaFallback.name().toLowerCase(java.util.Locale.ROOT))
                + "]";
    }

    private static String millis(Duration duration) {
        return duration == null ? "0" : Long.toString(duration.toMillis());
    }

    static String format(Duration duration) {
        if (duration == null) {
            return "disabled";
        }
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static String urlEncode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    /**
     * Collects settings; {@link #build()} validates them all and freezes the result. Not thread-safe.
     * Later calls override earlier ones, so {@code url(...)} followed by {@code password(...)} replaces the
     * URL's password.
     */
    public static final class Builder {
        private List<Host> hosts = new ArrayList<>(List.of(new Host("localhost", ConnectionStrings.DEFAULT_PORT)));
        private @Nullable String database;
        private @Nullable String user;
        private @Nullable String password;
        private @Nullable String schema;
        private String extensionsSchema = "public";
        private int minConnections = 2;
        private boolean minConnectionsSet;
        private int maxConnections = 10;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration acquireTimeout = Duration.ofSeconds(30);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private @Nullable Duration statementTimeout = Duration.ofSeconds(60);
        private @Nullable Duration lockTimeout = Duration.ofSeconds(5);
        private @Nullable Duration idleInTransactionSessionTimeout = Duration.ofSeconds(60);
        private String applicationName = "pgdbm";
        private Map<String, String> serverSettings = new LinkedHashMap<>(Map.of("jit", "off"));
        private List<String> initSql = new ArrayList<>();
        private int startupRetries = 3;
        private Duration startupRetryDelay = Duration.ofMillis(250);
        private SslMode sslMode = SslMode.PREFER;
        private @Nullable Path sslRootCert;
        private @Nullable Path sslCert;
        private @Nullable Path sslKey;
        private @Nullable String sslPassword;
        private @Nullable String targetServerType;
        private Map<String, String> driverProperties = new LinkedHashMap<>();
        private boolean transactionPooling;
        /** Whether a session setting was given (not left at its default): a transaction-mode pooler can't take it. */
        private boolean sessionSettingsSet;

        private @Nullable String migrationUrl;
        private List<String> replicaUrls = new ArrayList<>();
        private @Nullable Duration replicaMaxLag;
        private ReplicaFallback replicaFallback = ReplicaFallback.PRIMARY;
        private Duration replicaCheckInterval = Duration.ofSeconds(1);
        private final List<String> problems = new ArrayList<>();

        private Builder() {}

        /**
         * Reads a libpq URI or a {@code jdbc:postgresql:} URL: hosts, ports, database, user, password and
         * the parameters libpq knows ({@code sslmode}, {@code sslrootcert}, {@code sslcert}, {@code
         * sslkey}, {@code application_name}, {@code connect_timeout}, {@code options}, {@code
         * target_session_attrs}, …). Unknown libpq parameters are an error, as in libpq; unknown JDBC
         * parameters pass through to pgJDBC.
         */
        public Builder url(String url) {
            ConnectionParameters.applyUrl(url, new Target());
            return this;
        }

        /**
         * Reads {@code DATABASE_URL} if set; the libpq variables {@code PGHOST}, {@code PGPORT}, {@code
         * PGDATABASE}, {@code PGUSER}, {@code PGPASSWORD}, {@code PGSSLMODE}, {@code PGSSLROOTCERT},
         * {@code PGSSLCERT}, {@code PGSSLKEY}, {@code PGAPPNAME}, {@code PGCONNECT_TIMEOUT} and {@code
         * PGOPTIONS} fill in what the URL leaves out.
         */
        public Builder fromEnvironment(Map<String, String> env) {
            ConnectionParameters.applyEnvironment(env, new Target());
            String direct = env.get("PGDBM_MIGRATION_URL");
            if (direct != null && !direct.isBlank()) {
                migrationUrl = direct;
            }
            String replicaList = env.get("PGDBM_REPLICA_URLS");
            if (replicaList != null && !replicaList.isBlank()) {
                replicaUrls = new ArrayList<>();
                for (String replica : replicaList.split("[,\\s]+")) {
                    if (!replica.isBlank()) {
                        replicaUrls.add(replica);
                    }
                }
            }
            String pooling = env.get("PGDBM_TRANSACTION_POOLING");
            if (pooling != null && !pooling.isBlank()) {
                switch (pooling.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "true", "on", "1", "yes" -> transactionPooling = true;
                    case "false", "off", "0", "no" -> transactionPooling = false;
                    default -> problems.add("PGDBM_TRANSACTION_POOLING ('" + pooling + "') must be true or false");
                }
            }
            return this;
        }

        /** Where {@link ConnectionParameters} writes what a URL or the environment says. */
        private final class Target implements ConnectionParameters.Target {
            @Override
            public List<Host> hosts() {
                return hosts;
            }

            @Override
            public void hosts(List<Host> value) {
                hosts = new ArrayList<>(value);
            }

            @Override
            public void database(String value) {
                database = value;
            }

            @Override
            public String user() {
                return user;
            }

            @Override
            public void user(String value) {
                user = value;
            }

            @Override
            public String password() {
                return password;
            }

            @Override
            public void password(String value) {
                password = value;
            }

            @Override
            public void connectTimeout(Duration value) {
                connectTimeout = value;
            }

            @Override
            public String applicationName() {
                return applicationName;
            }

            @Override
            public void applicationName(String value) {
                applicationName = value;
            }

            @Override
            public void sslMode(SslMode value) {
                sslMode = value;
            }

            @Override
            public void sslRootCert(Path value) {
                sslRootCert = value;
            }

            @Override
            public void sslCert(Path value) {
                sslCert = value;
            }

            @Override
            public void sslKey(Path value) {
                sslKey = value;
            }

            @Override
            public void sslPassword(String value) {
                sslPassword = value;
            }

            @Override
            public void serverSettings(Map<String, String> settings) {
                sessionSettingsSet |= !settings.isEmpty();
                serverSettings.putAll(settings);
            }

            @Override
            public void targetServerType(String value) {
                targetServerType = value;
            }

            @Override
            public void driverProperty(String name, String value) {
                driverProperties.put(name, value);
            }

            @Override
            public void problem(String problem) {
                problems.add(problem);
            }
        }

        /** One host name; the port stays as it was (5432 unless set). */
        public Builder host(String host) {
            int port = hosts.isEmpty()
                    ? ConnectionStrings.DEFAULT_PORT
                    : hosts.get(0).port();
            hosts = new ArrayList<>(List.of(new Host(host, port)));
            return this;
        }

        /** The port of every host. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                problems.add("port (" + port + ") must be between 1 and 65535");
                return this;
            }
            hosts = new ArrayList<>(
                    hosts.stream().map(h -> new Host(h.name(), port)).toList());
            return this;
        }

        public Builder database(@Nullable String database) {
            this.database = database;
            return this;
        }

        public Builder user(@Nullable String user) {
            this.user = user;
            return this;
        }

        public Builder password(@Nullable String password) {
            this.password = password;
            return this;
        }

        /**
         * Where migrations install extensions that {@code CREATE EXTENSION} does not place itself; default
         * {@code public}. Another schema is added to every connection's {@code search_path} (after {@code
         * public}) unless {@code serverSettings} sets {@code search_path}.
         */
        public Builder extensionsSchema(String extensionsSchema) {
            this.extensionsSchema = extensionsSchema;
            this.sessionSettingsSet |= !"public".equals(extensionsSchema);
            return this;
        }

        /** The schema of managers made directly from this config ({@link DatabaseManager#connect}). */
        public Builder schema(@Nullable String schema) {
            this.schema = schema;
            return this;
        }

        /** Connections the pool keeps open even when idle (HikariCP's {@code minimumIdle}). */
        public Builder minConnections(int minConnections) {
            this.minConnections = minConnections;
            this.minConnectionsSet = true;
            return this;
        }

        /** The most connections the pool opens, for every manager sharing it. */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** How long to wait for the server to accept one TCP connection and login. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** How long a caller waits for a free pooled connection. */
        public Builder acquireTimeout(Duration acquireTimeout) {
            this.acquireTimeout = acquireTimeout;
            return this;
        }

        /** Connections are retired after this long; zero keeps them forever. */
        public Builder maxLifetime(Duration maxLifetime) {
            this.maxLifetime = maxLifetime;
            return this;
        }

        /** Idle connections above {@code minConnections} close after this long; zero keeps them. */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** The server cancels statements running longer than this; null disables. */
        public Builder statementTimeout(@Nullable Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
            this.sessionSettingsSet = true;
            return this;
        }

        /** Statements waiting longer than this for a lock fail; null disables. */
        public Builder lockTimeout(@Nullable Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
            this.sessionSettingsSet = true;
            return this;
        }

        /** Sessions idle inside a transaction longer than this are ended by the server; null disables. */
        public Builder idleInTransactionSessionTimeout(@Nullable Duration timeout) {
            this.idleInTransactionSessionTimeout = timeout;
            this.sessionSettingsSet = true;
            return this;
        }

        public Builder applicationName(String applicationName) {
            this.applicationName = applicationName;
            return this;
        }

        /** Adds or replaces one server setting sent at connect time, e.g. {@code ("work_mem", "64MB")}. */
        public Builder serverSetting(String name, String value) {
            serverSettings.put(name, value);
            sessionSettingsSet = true;
            return this;
        }

        /** Replaces all server settings (including the default {@code jit=off}). */
        public Builder serverSettings(Map<String, String> settings) {
            serverSettings = new LinkedHashMap<>(settings);
            sessionSettingsSet |= !settings.isEmpty();
            return this;
        }

        /** Adds SQL to run once on each new physical connection. */
        public Builder initSql(String sql) {
            initSql.add(sql);
            return this;
        }

        /**
         * How often to retry when the server is not up yet at pool start (connection refused, starting
         * up), and the first delay, which doubles after each attempt up to 10 s.
         */
        public Builder startupRetries(int retries, Duration firstDelay) {
            this.startupRetries = retries;
            this.startupRetryDelay = firstDelay;
            return this;
        }

        public Builder sslMode(SslMode sslMode) {
            this.sslMode = sslMode;
            return this;
        }

        /** The CA certificate(s) to verify the server against (PEM). */
        public Builder sslRootCert(@Nullable Path sslRootCert) {
            this.sslRootCert = sslRootCert;
            return this;
        }

        /** The client certificate (PEM), for certificate authentication. */
        public Builder sslCert(@Nullable Path sslCert) {
            this.sslCert = sslCert;
            return this;
        }

        /** The client key (PKCS-8 DER or PEM as pgJDBC reads it). */
        public Builder sslKey(@Nullable Path sslKey) {
            this.sslKey = sslKey;
            return this;
        }

        public Builder sslPassword(@Nullable String sslPassword) {
            this.sslPassword = sslPassword;
            return this;
        }

        /**
         * Says the URL points at a pooler in transaction mode (PgBouncer's {@code pool_mode = transaction}).
         * The pool then sends no session settings at connect time (PgBouncer refuses the {@code options}
         * start-up parameter): the default timeouts and {@code jit=off} are left to the server, and setting a
         * timeout, a server setting, an {@code extensionsSchema} other than {@code public} or {@code initSql}
         * is an error — set them on the role instead ({@code ALTER ROLE app SET statement_timeout = '60s'}).
         * pgJDBC prepares no named statements ({@code prepareThreshold=0}; a pooler that keeps them, as
         * PgBouncer 1.21+ with {@code max_prepared_statements}, may take {@code driverProperty("prepareThreshold",
         * "5")}), statements that change the server session ({@code SET} without {@code LOCAL}, {@code SET
         * ROLE}, {@code LISTEN}, session advisory locks, temporary tables) are refused before they run, and
         * migrations need {@link #migrationUrl}.
         */
        public Builder transactionPooling(boolean transactionPooling) {
            this.transactionPooling = transactionPooling;
            return this;
        }

        /**
         * A direct connection for migrations, bypassing a pooler: a libpq URI or {@code jdbc:postgresql:} URL.
         * What it leaves out (user, password, TLS, timeouts) comes from this configuration. Migrations take a
         * session-level advisory lock, which a transaction-mode pooler cannot hold; {@link io.pgdbm.migrations.MigrationManager
         * migrations}, the CLI and the Spring starter connect here when it is set. Null: migrations use the
         * pool. Also read from {@code PGDBM_MIGRATION_URL} by {@link #fromEnvironment}.
         */
        public Builder migrationUrl(@Nullable String migrationUrl) {
            this.migrationUrl = migrationUrl;
            return this;
        }

        /**
         * Adds a read replica (a libpq URI or {@code jdbc:postgresql:} URL; what it leaves out comes from this
         * configuration) for {@link DatabaseManager#replica()}. Also read, comma-separated, from {@code
         * PGDBM_REPLICA_URLS} by {@link #fromEnvironment}.
         */
        public Builder replicaUrl(String url) {
            replicaUrls.add(url);
            return this;
        }

        /** Replaces the read replicas with {@code urls}; an empty list removes them. */
        public Builder replicaUrls(List<String> urls) {
            replicaUrls = new ArrayList<>(urls);
            return this;
        }

        /**
         * The most replay lag a replica may have and still serve reads; null (the default) for no bound. Past it
         * reads go to another replica, else as {@link #replicaFallback} says.
         */
        public Builder replicaMaxLag(@Nullable Duration maxLag) {
            this.replicaMaxLag = maxLag;
            return this;
        }

        /** What reads do when no replica can serve them: read from the primary (the default) or fail. */
        public Builder replicaFallback(ReplicaFallback fallback) {
            this.replicaFallback = fallback;
            return this;
        }

        /** How often a replica's state and lag are checked; default 1 s, at least 50 ms. */
        public Builder replicaCheckInterval(Duration interval) {
            this.replicaCheckInterval = interval;
            return this;
        }

        /** Passes one property to pgJDBC unchanged, e.g. {@code ("prepareThreshold", "1")}. */
        public Builder driverProperty(String name, String value) {
            driverProperties.put(name, value);
            return this;
        }

        /**
         * Validates every field and returns the immutable configuration.
         *
         * @throws ConfigurationException listing every problem, each naming its property and rule
         */
        public DatabaseConfig build() {
            List<String> errors = new ArrayList<>(problems);
            try {
                Identifiers.require("extensionsSchema", extensionsSchema);
            } catch (IdentifierException e) {
                errors.add(e.getMessage());
            }
            if (schema != null) {
                try {
                    Identifiers.requireSchema("schema", schema);
                } catch (IdentifierException e) {
                    errors.add(e.getMessage());
                }
            }
            for (Host host : hosts) {
                if (host.name().isBlank()) {
                    errors.add("host must not be blank");
                }
            }
            if (database != null && database.isEmpty()) {
                database = null;
            }
            if (!minConnectionsSet && maxConnections >= 1 && minConnections > maxConnections) {
                minConnections = maxConnections; // the default minimum follows a small maximum
            }
            if (maxConnections < 1) {
                errors.add("maxConnections (" + maxConnections + ") must be at least 1");
            }
            if (minConnections < 0) {
                errors.add("minConnections (" + minConnections + ") must not be negative");
            } else if (maxConnections >= 1 && minConnections > maxConnections) {
                errors.add("minConnections (" + minConnections + ") must not exceed maxConnections (" + maxConnections
                        + ")");
            }
            atLeast(errors, "connectTimeout", connectTimeout, Duration.ofSeconds(1), false);
            atLeast(errors, "acquireTimeout", acquireTimeout, Duration.ofMillis(250), false);
            atLeast(errors, "maxLifetime", maxLifetime, Duration.ofSeconds(30), true);
            atLeast(errors, "idleTimeout", idleTimeout, Duration.ofSeconds(10), true);
            positiveOrNull(errors, "statementTimeout", statementTimeout);
            positiveOrNull(errors, "lockTimeout", lockTimeout);
            positiveOrNull(errors, "idleInTransactionSessionTimeout", idleInTransactionSessionTimeout);
            if (applicationName == null || applicationName.isBlank()) {
                errors.add("applicationName must not be blank");
            } else if (applicationName.length() > 63) {
                errors.add("applicationName ('" + applicationName + "') must be at most 63 characters");
            }
            for (Map.Entry<String, String> setting : serverSettings.entrySet()) {
                if (setting.getKey() == null
                        || !SETTING_NAME.matcher(setting.getKey()).matches()) {
                    errors.add("serverSettings name ('" + setting.getKey()
                            + "') is not a setting name: letters, digits, underscores and dots");
                } else if (setting.getValue() == null) {
                    errors.add("serverSettings value of " + setting.getKey() + " must not be null");
                }
            }
            for (String sql : initSql) {
                if (sql == null || sql.isBlank()) {
                    errors.add("initSql must not contain blank statements");
                }
            }
            if (startupRetries < 0) {
                errors.add("startupRetries (" + startupRetries + ") must not be negative");
            }
            if (startupRetryDelay == null || startupRetryDelay.isNegative()) {
                errors.add("startupRetryDelay must be zero or positive");
            }
            if (sslMode == null) {
                errors.add("sslMode must not be null; use SslMode.DISABLE to turn TLS off");
            }
            readable(errors, "sslRootCert", sslRootCert);
            readable(errors, "sslCert", sslCert);
            readable(errors, "sslKey", sslKey);
            if (sslMode == SslMode.DISABLE && (sslRootCert != null || sslCert != null)) {
                errors.add(
                        "sslMode is disable but TLS certificates are configured: choose verify-full (or remove them)");
            }
            if (transactionPooling && sessionSettingsSet) {
                errors.add("transactionPooling is on, so session settings (timeouts, serverSettings, options,"
                        + " extensionsSchema) cannot travel to the server: a transaction-mode pooler refuses them"
                        + " at connect time. Set them on the role or database instead"
                        + " (ALTER ROLE app SET statement_timeout = '60s'), or connect without the pooler");
            }
            if (transactionPooling && !initSql.isEmpty()) {
                errors.add("transactionPooling is on, so initSql cannot run once per server connection: a"
                        + " transaction-mode pooler hands each transaction any of its connections");
            }
            if (replicaMaxLag != null && (replicaMaxLag.isNegative() || replicaMaxLag.isZero())) {
                errors.add("replicaMaxLag (" + format(replicaMaxLag) + ") must be positive; use null for no bound");
            }
            if (replicaFallback == null) {
                errors.add("replicaFallback must not be null: PRIMARY or FAIL");
            }
            atLeast(errors, "replicaCheckInterval", replicaCheckInterval, Duration.ofMillis(50), false);
            if (transactionPooling && !replicaUrls.isEmpty()) {
                errors.add("transactionPooling is on, and replicas cannot be made read-only without session settings:"
                        + " give replicas their own direct URLs, or use a pooler's read-only pool with a role that"
                        + " cannot write");
            }
            List<DatabaseConfig> replicas = new ArrayList<>();
            if (errors.isEmpty()) {
                for (int i = 0; i < replicaUrls.size(); i++) {
                    Builder replica = derived(this);
                    replica.serverSettings.put("default_transaction_read_only", "on");
                    replica.connectTimeout = min(connectTimeout, Duration.ofSeconds(2));
                    replica.acquireTimeout = min(acquireTimeout, Duration.ofSeconds(2));
                    replica.minConnections = 0;
                    replica.startupRetries = 0;
                    try {
                        replicas.add(replica.url(replicaUrls.get(i)).build());
                    } catch (ConfigurationException | NullPointerException e) {
                        errors.add("replicaUrls[" + i + "]: "
                                + String.valueOf(e.getMessage()).replace("Invalid database configuration: ", ""));
                    }
                }
            }
            DatabaseConfig migration = null;
            if (migrationUrl != null && errors.isEmpty()) {
                Builder direct = derived(this);
                direct.minConnections = 0;
                direct.maxConnections = Math.max(3, maxConnections); // provisioning runs several migrations at once
                direct.applicationName = applicationName.length() > 52 ? applicationName : applicationName + "-migrate";
                try {
                    migration = direct.url(migrationUrl).build();
                } catch (ConfigurationException e) {
                    errors.add("migrationUrl: " + e.getMessage().replace("Invalid database configuration: ", ""));
                }
            }
            if (!errors.isEmpty()) {
                String message = errors.size() == 1
                        ? "Invalid database configuration: " + errors.get(0)
                        : "Invalid database configuration:\n  - " + String.join("\n  - ", errors);
                String scrubbed = Masking.scrub(message, password);
                for (String url : urls()) {
                    scrubbed = Masking.scrub(scrubbed, passwordIn(url));
                }
                throw new ConfigurationException(scrubbed);
            }
            return new DatabaseConfig(this, migration, replicas);
        }

        /**
         * A copy of {@code source}'s settings for a derived connection: never pooled by transaction, with no
         * migration URL and no replicas of its own.
         */
        private static Builder derived(Builder source) {
            Builder copy = new DatabaseConfig(source, null, List.of()).toBuilder();
            copy.transactionPooling = false;
            copy.migrationUrl = null;
            copy.replicaUrls = new ArrayList<>();
            return copy;
        }

        private static Duration min(Duration a, Duration b) {
            return a == null || a.compareTo(b) > 0 ? b : a;
        }

        /** The URLs of derived connections, to mask their passwords in messages. */
        private List<String> urls() {
            List<String> urls = new ArrayList<>(replicaUrls);
            if (migrationUrl != null) {
                urls.add(migrationUrl);
            }
            return urls;
        }

        /** The password inside {@code url}; null when it holds none or cannot be read. */
        private static @Nullable String passwordIn(@Nullable String url) {
            if (url == null) {
                return null;
            }
            Builder probe = new Builder();
            try {
                probe.url(url);
            } catch (RuntimeException e) {
                return null;
            }
            return probe.password;
        }

        private static void atLeast(
                List<String> errors, String name, Duration value, Duration minimum, boolean zeroAllowed) {
            if (value == null) {
                errors.add(name + " must not be null");
            } else if (zeroAllowed && value.isZero()) {
                return;
            } else if (value.compareTo(minimum) < 0) {
                errors.add(name + " (" + format(value) + ") must be at least " + format(minimum)
                        + (zeroAllowed ? " (or zero for no limit)" : ""));
            }
        }

        private static void positiveOrNull(List<String> errors, String name, Duration value) {
            if (value != null && (value.isZero() || value.isNegative())) {
                errors.add(name + " (" + format(value) + ") must be positive; use null to disable it");
            }
        }

        private static void readable(List<String> errors, String name, Path file) {
            if (file != null && !Files.isReadable(file)) {
                errors.add(name + " (" + file + ") is not a readable file");
            }
        }
    }
}
