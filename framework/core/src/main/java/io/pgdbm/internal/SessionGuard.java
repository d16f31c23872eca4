package io.pgdbm.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every pooled connection back exactly as the pool handed it out. Each borrow records what its
 * statements may have changed in the session ({@link StatementEffects}); when it goes back, a borrow that
 * changed nothing costs nothing, and one that may have changed something is reset in one round trip:
 * {@code RESET ALL} (back to the settings the connection started with, which travel in its start-up
 * packet), the session user and role, cursors, listeners, session advisory locks, temporary tables,
 * sequence state and, after statements whose effect cannot be seen, server-side prepared statements; then
 * the configured {@code initSql} runs again. A connection whose reset fails is evicted from the pool.
 *
 * <p>One per pool that pgdbm opened. A data source someone else manages ({@code SharedPool.wrap}) is not
 * guarded: its owner decides when its connections go back.
 */
public final class SessionGuard {
    private static final Logger LOG = LoggerFactory.getLogger(SessionGuard.class);

    /** Built-in function names per server version, shared by every pool of the process. */
    private static final ConcurrentHashMap<String, Set<String>> BUILTINS = new ConcurrentHashMap<>();

    /** Statements prepared outside pgdbm's own statement cache (jOOQ, plain JDBC) classified so far. */
    private static final int EFFECTS_CACHE_CAPACITY = 4096;

    private static final String SESSION_RESET = "RESET ALL; SET SESSION AUTHORIZATION DEFAULT; CLOSE ALL;"
            + " UNLISTEN *; SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES";

    private final HikariDataSource pool;
    private final Set<String> builtins;
    private final String sessionReset;
    private final String fullReset;
    private final ConcurrentHashMap<String, Integer> effectsBySql = new ConcurrentHashMap<>();
    /** Behind a transaction-mode pooler: session changes are refused, and there is no session to reset. */
    private final boolean transactionPooling;

    private SessionGuard(
            HikariDataSource pool, Set<String> builtins, List<String> initSql, boolean transactionPooling) {
        this.pool = pool;
        this.transactionPooling = transactionPooling;
        this.builtins = builtins;
        String init = initSql.isEmpty() ? "" : ";\n" + String.join(";\n", initSql);
        this.sessionReset = SESSION_RESET + init;
        this.fullReset = SESSION_RESET + "; DEALLOCATE ALL" + init;
    }

    /**
     * A guard for {@code pool}, learning the server's built-in functions on {@code connection} (once per
     * server version and process).
     */
    public static SessionGuard create(
            HikariDataSource pool, Connection connection, List<String> initSql, boolean transactionPooling)
            throws SQLException {
        return new SessionGuard(pool, builtins(connection), initSql, transactionPooling);
    }

    /**
     * Refuses, behind a transaction-mode pooler, a statement whose {@code effects} would change the server
     * session: that session is handed to other clients after the transaction, and no reset of ours reaches it.
     * Costs one comparison otherwise (the statement is described only when refused).
     */
    void admit(int effects, String sql) throws SQLException {
        if (transactionPooling && (effects & StatementEffects.SESSION) != 0) {
            refuse("`" + Masking.truncateSql(Masking.maskPasswordLiterals(sql)) + "`");
        }
    }

    /** {@link #admit} for work that is not a statement, described as {@code what}. */
    void admitSessionChange(String what) throws SQLException {
        if (transactionPooling) {
            refuse(what);
        }
    }

    private static void refuse(String what) throws SQLException {
        throw new SQLException(
                "Refused " + what + ": it changes the server session (SET without LOCAL, SET ROLE, RESET,"
                        + " LISTEN, a session advisory lock, a cursor or a temporary table), and this pool goes"
                        + " through a transaction-mode pooler that hands that session to other clients. Use SET"
                        + " LOCAL or pg_advisory_xact_lock inside a transaction, or connect without the pooler.",
                "0A000");
    }

    /** The data source whose connections this guard watches. */
    public DataSource dataSource() {
        return new GuardedDataSource(pool, this);
    }

    /**
     * The built-in function names known for {@code dataSource} (a pool pgdbm opened); empty for a data source
     * someone else manages, so that every function call there counts as unknown.
     */
    public static Set<String> builtinsOf(DataSource dataSource) {
        DataSource source = dataSource instanceof LeasedDataSource leased ? leased.target() : dataSource;
        return source instanceof GuardedDataSource guarded ? guarded.guard().builtins() : Set.of();
    }

    /** The names of the server's built-in functions (schema {@code pg_catalog}), in lower case. */
    public Set<String> builtins() {
        return builtins;
    }

    /** The effects of {@code sql}, from the cache or classified now. */
    int effectsOf(String sql) {
        Integer known = effectsBySql.get(sql);
        if (known != null) {
            return known;
        }
        int effects = StatementEffects.of(sql, builtins);
        if (effectsBySql.size() >= EFFECTS_CACHE_CAPACITY) {
            effectsBySql.clear();
        }
        effectsBySql.put(sql, effects);
        return effects;
    }

    private static Set<String> builtins(Connection connection) throws SQLException {
        String version = connection.unwrap(BaseConnection.class).getParameterStatus("server_version");
        String key = version == null ? "unknown" : version;
        Set<String> known = BUILTINS.get(key);
        if (known != null) {
            return known;
        }
        Set<String> names = new HashSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT DISTINCT proname FROM pg_catalog.pg_proc WHERE pronamespace = 'pg_catalog'::regnamespace")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        Set<String> frozen = Set.copyOf(names);
        BUILTINS.putIfAbsent(key, frozen);
        return frozen;
    }

    /**
     * Prepares {@code sql} whose effects the caller already knows (pgdbm's statement cache), recording them
     * on the borrow without classifying the text again.
     */
    static PreparedStatement prepare(Connection connection, String sql, int effects) throws SQLException {
        if (connection instanceof GuardedConnection guarded) {
            guarded.guard().admit(effects, sql);
            guarded.note(effects);
            return guarded.delegate().prepareStatement(sql);
        }
        return connection.prepareStatement(sql);
    }

    /**
     * Records that work on {@code connection} may have had {@code effects}, for code that runs SQL by other
     * means than {@code prepareStatement} (COPY through pgJDBC's API).
     */
    static void note(Connection connection, int effects) throws SQLException {
        GuardedConnection guarded = guarded(connection);
        if (guarded != null) {
            guarded.note(effects);
        }
    }

    /**
     * pgJDBC's connection under {@code connection}, for pgdbm's own use of its API (COPY, type lookups)
     * without marking the borrow as changed.
     */
    static BaseConnection pgConnection(Connection connection) throws SQLException {
        GuardedConnection guarded = guarded(connection);
        Connection target = guarded != null ? guarded.delegate() : connection;
        return target.unwrap(BaseConnection.class);
    }

    /**
     * While {@code owned}, the connection refuses JDBC calls that would end the transaction pgdbm runs on it
     * ({@code commit()}, {@code rollback()}, {@code setAutoCommit}, {@code close()}): user code reaching it
     * through {@code tx.connection()} cannot commit half of the work.
     */
    static void ownedByTransaction(Connection connection, boolean owned) {
        try {
            GuardedConnection guarded = guarded(connection);
            if (guarded != null) {
                guarded.ownedByTransaction(owned);
            }
        } catch (SQLException ignored) {
            // not a pgdbm pool's connection: nothing to guard
        }
    }

    /** Marks the borrow as broken: the connection is evicted instead of going back to the pool. */
    static void markBroken(Connection connection) {
        try {
            GuardedConnection guarded = guarded(connection);
            if (guarded != null) {
                guarded.markBroken();
            }
        } catch (SQLException ignored) {
            // a connection that cannot even be unwrapped is beyond saving; the pool validates it
        }
    }

    private static GuardedConnection guarded(Connection connection) throws SQLException {
        if (connection instanceof GuardedConnection guarded) {
            return guarded;
        }
        // through a decorator such as Spring's transaction-aware proxy
        return connection.isWrapperFor(GuardedConnection.class) ? connection.unwrap(GuardedConnection.class) : null;
    }

    /**
     * Called when a borrow ends, before the connection goes back to HikariCP: rolls back a transaction left
     * open, resets what the borrow may have changed, and evicts the connection if that fails.
     */
    void release(Connection connection, int effects, boolean broken) {
        if (broken) {
            evict(connection, "its transaction could not be ended cleanly");
            return;
        }
        try {
            BaseConnection pg = connection.unwrap(BaseConnection.class);
            boolean autoCommit = connection.getAutoCommit();
            if (pg.getTransactionState() != TransactionState.IDLE) {
                // A transaction left open (BEGIN sent in autocommit mode, or abandoned): its work is not kept.
                // pgJDBC refuses rollback() in autocommit mode, so that case sends the statement.
                if (autoCommit) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("ROLLBACK");
                    }
                } else {
                    connection.rollback();
                }
            }
            if ((effects & (StatementEffects.SESSION | StatementEffects.UNKNOWN)) == 0 || transactionPooling) {
                // Behind a transaction-mode pooler the server session is not ours: a reset would reach
                // whichever session the pooler picks (and DEALLOCATE ALL would drop what it keeps).
                return;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute((effects & StatementEffects.UNKNOWN) != 0 ? fullReset : sessionReset);
            }
            if (!autoCommit) {
                connection.commit();
            }
        } catch (SQLException | RuntimeException e) {
            evict(connection, "resetting its session failed: " + e.getMessage());
        }
    }

    private void evict(Connection connection, String reason) {
        LOG.warn("Evicting a connection from pool {}: {}", pool.getPoolName(), reason);
        pool.evictConnection(connection);
    }
}
