package io.pgdbm.postgres;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throw-away databases on one server, for tests: created empty or cloned from a template database that is
 * built once, dropped in the background, and swept when a crashed run left them behind. The building
 * block of pgdbm-testing (which adds pools, managers and migrations); pgdbm's own core tests use it
 * directly.
 *
 * <p>Databases are named {@code test_<12 hex>[_suffix]} and carry a comment naming the host, process and
 * creation time, so that the sweep at start-up drops only databases of pgdbm test runs that are dead (same
 * host, process gone) or old, never anyone else's. Templates are named {@code pgdbm_tpl_<family>_<content>}
 * after hashes of what they hold; building a template under a new content hash drops the family's older
 * templates. Template builds are serialised across processes with an advisory lock.
 *
 * <p>Thread-safe.
 */
public final class IsolatedDatabases implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IsolatedDatabases.class);
    /** The default name prefix of test databases. */
    public static final String DEFAULT_PREFIX = "test_";

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,19}");
    private static final String TEMPLATE_PREFIX = "pgdbm_tpl_";
    private static final String TEST_COMMENT = "pgdbm-test";
    private static final String TEMPLATE_COMMENT = "pgdbm-template complete";
    private static final Pattern SUFFIX = Pattern.compile("[a-z0-9_]{1,30}");
    /** Databases of a live process elsewhere are swept only after this long. */
    private static final Duration LEAK_AGE = Duration.ofHours(6);

    private static final Set<String> SWEPT = ConcurrentHashMap.newKeySet();

    private final PostgresServer server;
    private final String prefix;
    private final String host = hostName();
    private final ExecutorService dropper = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pgdbm-drop-databases");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> builtTemplates = ConcurrentHashMap.newKeySet();
    /** One admin connection reused for create, clone and comment; opened again if it breaks. */
    private Connection admin;

    private String cloneStrategy;

    private IsolatedDatabases(PostgresServer server, String prefix) {
        this.server = server;
        this.prefix = prefix;
    }

    /** Databases on {@code server}; the first call per server and JVM sweeps leaked databases. */
    public static IsolatedDatabases on(PostgresServer server) {
        return on(server, DEFAULT_PREFIX);
    }

    /**
     * Databases on {@code server} named {@code <prefix><12 hex>}; the first call per server, prefix and JVM
     * sweeps leaked databases of that prefix.
     */
    public static IsolatedDatabases on(PostgresServer server, String prefix) {
        IsolatedDatabases databases = new IsolatedDatabases(server, checkPrefix(prefix));
        if (SWEPT.add(server.host() + ":" + server.port() + "/" + prefix)) {
            databases.sweepLeaks();
        }
        return databases;
    }

    /**
     * Checks a database-name prefix: 1 to 20 lower-case letters, digits or underscores, starting with a
     * letter (so that names need no quoting).
     *
     * @throws IllegalArgumentException naming the rule
     */
    public static String checkPrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("test database prefix '" + prefix + "' must be 1 to 20 lower-case"
                    + " letters, digits or underscores, starting with a letter (for example test_ or ci_orders_)");
        }
        return prefix;
    }

    public PostgresServer server() {
        return server;
    }

    /**
     * A template: a database built once by {@code populate} and cloned for each test.
     *
     * @param family what the template is for (e.g. the modules and schemas it migrates); one family keeps
     *     only its newest template
     * @param content a fingerprint of what it holds (e.g. the migrations' checksums); a new value builds a
     *     new template
     * @param populate fills the freshly created template database, given its name; must close every
     *     connection it opens
     */
    public record Template(String family, String content, Consumer<String> populate) {
        String databaseName() {
            return TEMPLATE_PREFIX + hash(family, 8) + "_" + hash(content, 12);
        }

        String familyPrefix() {
            return TEMPLATE_PREFIX + hash(family, 8) + "_";
        }
    }

    /** An empty database ({@code CREATE DATABASE}), named {@code test_<hex>[_suffix]}. */
    public String create(String suffix) {
        String name = newName(suffix);
        admin("CREATE DATABASE " + name);
        markAsTest(name);
        return name;
    }

    /** A clone of {@code template}, built first if it does not exist yet. */
    public String createFrom(Template template, String suffix) {
        String templateName = ensureTemplate(template);
        String name = newName(suffix);
        cloneDatabase(templateName, name);
        markAsTest(name);
        return name;
    }

    /** Builds {@code template} unless it exists; returns its database name. */
    public String ensureTemplate(Template template) {
        String name = template.databaseName();
        if (builtTemplates.contains(name)) {
            return name;
        }
        try (Connection connection = server.connect(server.adminDatabase())) {
            long lock = lockKey(name);
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
                statement.setLong(1, lock);
                statement.execute();
            }
            try {
                if (!templateComplete(connection, name)) {
                    buildTemplate(connection, template, name);
                }
                dropOlderTemplates(connection, template, name);
            } finally {
                try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    statement.setLong(1, lock);
                    statement.execute();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "could not build the template database " + name + " on " + server.describe() + ": "
                            + e.getMessage(),
                    e);
        }
        builtTemplates.add(name);
        return name;
    }

    private void buildTemplate(Connection admin, Template template, String name) throws SQLException {
        long started = System.nanoTime();
        execute(admin, "DROP DATABASE IF EXISTS " + name); // a half-built one from a crashed run
        execute(admin, "CREATE DATABASE " + name);
        try {
            template.populate().accept(name);
        } catch (RuntimeException e) {
            execute(admin, "DROP DATABASE IF EXISTS " + name + dropForce());
            throw e;
        }
        terminate(admin, name);
        execute(admin, "COMMENT ON DATABASE " + name + " IS '" + TEMPLATE_COMMENT + " " + Instant.now() + "'");
        LOG.info("Built template database {} in {} ms", name, (System.nanoTime() - started) / 1_000_000);
    }

    private boolean templateComplete(Connection admin, String name) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getString(1) != null && rs.getString(1).startsWith(TEMPLATE_COMMENT);
            }
        }
    }

    private void dropOlderTemplates(Connection admin, Template template, String keep) throws SQLException {
        List<String> older = new ArrayList<>();
        try (PreparedStatement statement = admin.prepareStatement(
                "SELECT datname FROM pg_database WHERE starts_with(datname, ?) AND datname <> ?")) {
            statement.setString(1, template.familyPrefix());
            statement.setString(2, keep);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    older.add(rs.getString(1));
                }
            }
        }
        for (String name : older) {
            try {
                execute(admin, "DROP DATABASE IF EXISTS " + name);
                LOG.info("Dropped outdated template database {}", name);
            } catch (SQLException e) {
                LOG.debug("Outdated template {} is in use; left for later: {}", name, e.getMessage());
            }
        }
    }

    private void cloneDatabase(String templateName, String name) {
        // Another session still attached to the template (a just-finished build) makes CREATE fail; retry briefly.
        SQLException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                admin("CREATE DATABASE " + name + " TEMPLATE " + templateName + cloneStrategy());
                return;
            } catch (IllegalStateException e) {
                last = e.getCause() instanceof SQLException sql ? sql : null;
                if (last == null || !"55006".equals(last.getSQLState())) {
                    break;
                }
                pause(20);
            }
        }
        throw new IllegalStateException(
                "could not clone " + templateName + " into " + name + ": " + (last == null ? "" : last.getMessage()),
                last);
    }

    /**
     * The faster way to copy a small template (PostgreSQL 15+): FILE_COPY copies files but forces a
     * checkpoint, cheap when fsync is off (test servers) and slow when it is on, where WAL_LOG wins.
     */
    private synchronized String cloneStrategy() {
        if (cloneStrategy == null) {
            try (Statement statement = adminConnection().createStatement();
                    ResultSet rs = statement.executeQuery(
                            "SELECT current_setting('server_version_num')::int >= 150000, current_setting('fsync')")) {
                rs.next();
                cloneStrategy = !rs.getBoolean(1)
                        ? ""
                        : "off".equals(rs.getString(2)) ? " STRATEGY FILE_COPY" : " STRATEGY WAL_LOG";
            } catch (SQLException e) {
                cloneStrategy = "";
            }
        }
        return cloneStrategy;
    }

    /** Drops {@code name} in the background; a test never waits for it. */
    public void drop(String name) {
        dropper.execute(() -> dropNow(name));
    }

    /** Drops {@code name} now, terminating its sessions first. */
    public void dropNow(String name) {
        try (Connection connection = server.connect(server.adminDatabase())) {
            terminate(connection, name);
            execute(connection, "DROP DATABASE IF EXISTS " + name + dropForce());
        } catch (SQLException e) {
            LOG.warn("Could not drop test database {}: {}; the next run's sweep will", name, e.getMessage());
        }
    }

    /**
     * Drops databases that crashed runs left: pgdbm test databases whose process on this host is gone, or
     * that are older than six hours. Databases without pgdbm's comment are never touched.
     */
    public int sweepLeaks() {
        int dropped = 0;
        try (Connection connection = server.connect(server.adminDatabase());
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database"
                                + " WHERE starts_with(datname, ?) AND NOT datistemplate")) {
            statement.setString(1, prefix);
            List<String> leaked = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (isLeaked(rs.getString(2))) {
                        leaked.add(rs.getString(1));
                    }
                }
            }
            for (String name : leaked) {
                try {
                    terminate(connection, name);
                    execute(connection, "DROP DATABASE IF EXISTS " + name + dropForce());
                    dropped++;
                } catch (SQLException e) {
                    LOG.debug("Could not sweep {}: {}", name, e.getMessage());
                }
            }
        } catch (SQLException e) {
            LOG.warn("Could not sweep leaked test databases on {}: {}", server.describe(), e.getMessage());
        }
        if (dropped > 0) {
            LOG.info("Dropped {} test database(s) left by earlier runs", dropped);
        }
        return dropped;
    }

    /** {@code pgdbm-test host=h pid=123 created=1700000000}. */
    boolean isLeaked(String comment) {
        if (comment == null || !comment.startsWith(TEST_COMMENT + " ")) {
            return false;
        }
        String commentHost = field(comment, "host");
        String pid = field(comment, "pid");
        String created = field(comment, "created");
        if (host.equals(commentHost) && pid != null) {
            try {
                long processId = Long.parseLong(pid);
                if (processId != ProcessHandle.current().pid()
                        && ProcessHandle.of(processId).isEmpty()) {
                    return true;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the age check
            }
        }
        try {
            return created != null
                    && Instant.ofEpochSecond(Long.parseLong(created))
                            .isBefore(Instant.now().minus(LEAK_AGE));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String field(String comment, String name) {
        for (String part : comment.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return null;
    }

    private void markAsTest(String name) {
        admin("COMMENT ON DATABASE " + name + " IS '" + TEST_COMMENT + " host=" + host + " pid="
                + ProcessHandle.current().pid() + " created=" + Instant.now().getEpochSecond() + "'");
    }

    private String newName(String suffix) {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        String name = prefix + HexFormat.of().formatHex(random);
        if (suffix == null || suffix.isEmpty()) {
            return name;
        }
        if (!SUFFIX.matcher(suffix).matches()) {
            throw new IllegalArgumentException(
                    "database suffix '" + suffix + "' must be 1 to 30 lower-case letters, digits or underscores");
        }
        return name + "_" + suffix;
    }

    private synchronized void admin(String sql) {
        try {
            execute(adminConnection(), sql);
        } catch (SQLException e) {
            if (admin != null && isBroken(admin)) {
                admin = null;
            }
            throw new IllegalStateException(
                    "admin SQL failed on " + server.describe() + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    private Connection adminConnection() throws SQLException {
        if (admin == null || admin.isClosed()) {
            admin = server.connect(server.adminDatabase());
        }
        return admin;
    }

    private static boolean isBroken(Connection connection) {
        try {
            return !connection.isValid(1);
        } catch (SQLException e) {
            return true;
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void terminate(Connection connection, String database) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            statement.setString(1, database);
            statement.execute();
        }
    }

    private String dropForce() {
        return " WITH (FORCE)";
    }

    private static long lockKey(String name) {
        return Long.parseLong(hash(name, 15), 16);
    }

    static String hash(String text, int hexChars) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, hexChars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for background drops to finish (up to a minute) and closes the admin connection. */
    @Override
    public void close() {
        dropper.shutdown();
        try {
            if (!dropper.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("Some test databases were not dropped in time; the next run's sweep will");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (admin != null) {
                try {
                    admin.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
                admin = null;
            }
        }
    }
}
