package io.pgdbm;

import io.pgdbm.internal.ManagerContext;
import io.pgdbm.internal.PoolOperations;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.conf.Settings;

/**
 * Runs SQL against one schema of a shared pool. Templates in the SQL ({@code {{tables.users}}}) expand to
 * that schema, so a module's queries and migrations work unchanged in any schema it is given.
 *
 * <p>Two ways to get one:
 *
 * <pre>{@code
 * // Shared pool: the application owns the pool; the manager never closes it.
 * DatabaseManager users = pool.manager("users");
 *
 * // Standalone: the manager owns a pool of its own and closes it.
 * try (DatabaseManager db = DatabaseManager.connect(config)) { ... }
 * }</pre>
 *
 * <p>Schema isolation never relies on {@code search_path}: plain SQL is qualified by the template
 * renderer, typed SQL by jOOQ's render mapping. A pooled connection leaves every manager as it found it.
 * See {@link DatabaseOperations} for the verbs, the argument styles and the errors.
 *
 * <p>Thread-safe. Cheap to create; keep one per module or tenant.
 */
public final class DatabaseManager implements DatabaseOperations, AutoCloseable {
    private final SharedPool pool;
    private final boolean ownsPool;
    private final PoolOperations operations;

    DatabaseManager(SharedPool pool, String schema, boolean ownsPool) {
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.operations = new PoolOperations(new ManagerContext(pool, schema, defaultSettings()));
    }

    /**
     * jOOQ settings of every manager: rows map into Java records and immutable classes by column name
     * (jOOQ's default for records is by position), so {@code SELECT *} fills {@code record User(long id,
     * String email)} whatever the column order.
     */
    static Settings defaultSettings() {
        return new Settings().withMapRecordComponentParameterNames(true).withMapConstructorParameterNames(true);
    }

    /**
     * A standalone manager with a pool of its own, for a service that owns its database. Its schema is
     * the configuration's. {@link #close()} closes the pool.
     *
     * @throws ConnectionException when the server cannot be reached
     */
    public static DatabaseManager connect(DatabaseConfig config) {
        return new DatabaseManager(SharedPool.create(config), config.schema().orElse(null), true);
    }

    /** The pool this manager borrows connections from. */
    public SharedPool pool() {
        return pool;
    }

    /** Whether this manager created its pool (and so closes it). */
    public boolean ownsPool() {
        return ownsPool;
    }

    /** A snapshot of the pool's connections (shared with every manager on the pool). */
    public PoolStats poolStats() {
        return pool.stats();
    }

    /** Creates this manager's schema if it does not exist. Safe under concurrency. */
    public void ensureSchema() {
        operations.ensureSchema();
    }

    @Override
    public int execute(String sql, Object... args) {
        return operations.execute(sql, args);
    }

    @Override
    public long executeMany(String sql, Iterable<? extends List<?>> argumentLists) {
        return operations.executeMany(sql, argumentLists);
    }

    @Override
    public Optional<Record> fetchOne(String sql, Object... args) {
        return operations.fetchOne(sql, args);
    }

    @Override
    public <T> Optional<T> fetchOne(Class<T> type, String sql, Object... args) {
        return operations.fetchOne(type, sql, args);
    }

    @Override
    public Result<Record> fetchAll(String sql, Object... args) {
        return operations.fetchAll(sql, args);
    }

    @Override
    public <T> List<T> fetchAll(Class<T> type, String sql, Object... args) {
        return operations.fetchAll(type, sql, args);
    }

    @Override
    public <T> T fetchValue(Class<T> type, String sql, Object... args) {
        return operations.fetchValue(type, sql, args);
    }

    @Override
    public long copyRecords(String table, List<String> columns, Iterable<? extends List<?>> rows) {
        return operations.copyRecords(table, columns, rows);
    }

    @Override
    public void transaction(TransactionalWork work) {
        operations.transaction(work);
    }

    @Override
    public <T> T transactionResult(TransactionalCallable<T> work) {
        return operations.transactionResult(work);
    }

    @Override
    public PreparedQuery prepare(String sql) {
        return operations.prepare(sql);
    }

    @Override
    public boolean tableExists(String table) {
        return operations.tableExists(table);
    }

    @Override
    public String render(String sql) {
        return operations.render(sql);
    }

    @Override
    public Optional<String> schema() {
        return operations.schema();
    }

    @Override
    public DSLContext dsl() {
        return operations.dsl();
    }

    /**
     * Closes the pool if this manager owns it ({@link #connect}); does nothing for a manager from {@link
     * SharedPool#manager}, so a library may always call it on the manager it was handed.
     */
    @Override
    public void close() {
        if (ownsPool) {
            pool.close();
        }
    }

    @Override
    public String toString() {
        return "DatabaseManager[schema=" + schema().orElse("(none)") + ", pool=" + pool.name()
                + (ownsPool ? ", owns pool" : "") + "]";
    }
}
