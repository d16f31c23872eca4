package io.pgdbm;

import io.pgdbm.internal.Identifiers;
import io.pgdbm.internal.ManagerContext;
import io.pgdbm.internal.PoolOperations;
import io.pgdbm.monitoring.QueryMonitor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Select;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jspecify.annotations.Nullable;

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
    /** Canonical schema of generated code -> schema to render, fixed when the manager is made. */
    private final Map<String, String> schemaMappings;

    private final String module;
    private final QueryMonitor monitor;
    /** This manager reading from the replicas; made on first use. */
    private volatile @Nullable DatabaseManager replica;

    DatabaseManager(SharedPool pool, String schema, boolean ownsPool) {
        this(pool, schema, ownsPool, Map.of(), null, null);
    }

    private DatabaseManager(
            SharedPool pool,
            String schema,
            boolean ownsPool,
            Map<String, String> schemaMappings,
            String module,
            QueryMonitor monitor) {
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.schemaMappings = Map.copyOf(schemaMappings);
        this.module = module;
        this.monitor = monitor;
        this.operations = new PoolOperations(
                new ManagerContext(pool, schema, settings(schema, this.schemaMappings), module, monitor));
    }

    /**
     * jOOQ settings of every manager: rows map into Java records and immutable classes by column name
     * (jOOQ's default for records is by position), so {@code SELECT *} fills {@code record User(long id,
     * String email)} whatever the column order. For a manager with a schema, tables and sequences named
     * without a schema ({@code DSL.table(DSL.name("items"))}) render in that schema, as {@code
     * {{tables.items}}} does: never in whatever schema a connection's {@code search_path} finds first.
     */
    static Settings settings(String schema, Map<String, String> schemaMappings) {
        Settings settings = new Settings()
                .withMapRecordComponentParameterNames(true)
                .withMapConstructorParameterNames(true)
                // timestamptz through pgJDBC's own java.time support rather than jOOQ's text parsing: faster,
                // and values come back in UTC whatever the session's TimeZone (as asyncpg returns them).
                .withBindOffsetDateTimeType(true);
        if (!schemaMappings.isEmpty() || schema != null) {
            RenderMapping mapping = new RenderMapping();
            new TreeMap<>(schemaMappings)
                    .forEach((canonical, runtime) -> mapping.withSchemata(
                            new MappedSchema().withInput(canonical).withOutput(runtime)));
            if (schema != null) {
                // The empty input matches objects without a schema: unqualified tables and sequences.
                mapping.withSchemata(new MappedSchema().withInput("").withOutput(schema));
            }
            settings.withRenderMapping(mapping);
        }
        return settings;
    }

    /**
     * This manager, with the generated classes of the module whose canonical schema is {@code
     * canonicalSchema} rendered into this manager's schema: the same {@code USERS} table queries {@code
     * "users"}, {@code "tenant_7"} or {@code "tenant_42"} depending on the manager. Returns a new manager on
     * the same pool; this one is unchanged. The new manager never closes the pool, even when this one owns
     * it: a library may close what it derived without shutting its host's pool.
     *
     * @throws ConfigurationException when this manager has no schema
     */
    public DatabaseManager forModule(String canonicalSchema) {
        return forModule(canonicalSchema, canonicalSchema);
    }

    /**
     * {@link #forModule(String)} with the descriptor's canonical schema; the manager's monitored statements
     * are tagged with the module's name.
     */
    public DatabaseManager forModule(ModuleDescriptor module) {
        return forModule(module.canonicalSchema(), module.name());
    }

    private DatabaseManager forModule(String canonicalSchema, String moduleName) {
        String schema = schema().orElseThrow(() ->
                new ConfigurationException("forModule needs a manager with a schema; use pool.manager(\"schema\")"));
        Identifiers.require("canonical schema", canonicalSchema);
        Map<String, String> mappings = new HashMap<>(schemaMappings);
        mappings.put(canonicalSchema, schema);
        return new DatabaseManager(pool, schema, false, mappings, moduleName, monitor);
    }

    /**
     * This manager, reading from the pool's read replicas ({@link DatabaseConfig.Builder#replicaUrl}): same
     * schema, mappings, module and monitor; plain SQL and {@code dsl()} go to a replica that is reachable and
     * within {@link DatabaseConfig#replicaMaxLag()}, else to the primary or nowhere, as {@link
     * DatabaseConfig#replicaFallback()} says. Every connection is read-only, so a write through it fails
     * ({@code cannot execute INSERT in a read-only transaction}) wherever it landed. Without replicas
     * configured, reads go to the primary, read-only: code may call {@code replica()} before there are any.
     * Replicas are asynchronous: a read may not see a write that just committed on the primary; read what
     * must be current through this manager. Cached; the replica view of a replica view is itself.
     */
    public DatabaseManager replica() {
        if (pool.isReplicaPool()) {
            return this;
        }
        DatabaseManager view = replica;
        if (view == null) {
            view = new DatabaseManager(
                    pool.replicaPool(), schema().orElse(null), false, schemaMappings, module, monitor);
            replica = view;
        }
        return view;
    }

    /**
     * This manager, reporting every statement — plain SQL and {@code dsl()} — to {@code monitor}. Returns a
     * new manager on the same pool (which it never closes); this one is unchanged. Managers without a monitor
     * pay nothing.
     */
    public DatabaseManager withMonitor(QueryMonitor monitor) {
        return new DatabaseManager(
                pool,
                schema().orElse(null),
                false,
                schemaMappings,
                module,
                java.util.Objects.requireNonNull(monitor, "monitor"));
    }

    /** The monitor statements are reported to, if any. */
    public Optional<QueryMonitor> monitor() {
        return Optional.ofNullable(monitor);
    }

    /** The module this manager was made for ({@link #forModule}), if any. */
    public Optional<String> module() {
        return Optional.ofNullable(module);
    }

    /**
     * This manager, with generated classes of canonical schema {@code canonicalSchema} rendered as {@code
     * runtimeSchema}, and {@code {{tables.<canonicalSchema>.t}}} templates too (in queries and in the
     * migrations run through it): for a module that references another module's tables, wherever that module
     * lives. Returns a new manager on the same pool, which it never closes.
     *
     * @throws IdentifierException when a name is not a valid identifier
     */
    public DatabaseManager withSchemaMapping(String canonicalSchema, String runtimeSchema) {
        Identifiers.require("canonical schema", canonicalSchema);
        Identifiers.requireSchema("runtime schema", runtimeSchema);
        Map<String, String> mappings = new HashMap<>(schemaMappings);
        mappings.put(canonicalSchema, runtimeSchema);
        return new DatabaseManager(pool, schema().orElse(null), false, mappings, module, monitor);
    }

    /** The schema mappings of {@link #dsl()}: canonical schema of generated code to schema rendered. */
    public Map<String, String> schemaMappings() {
        return schemaMappings;
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

    /**
     * Whether this manager created its pool (and so closes it): true only for the manager {@link #connect}
     * returned, false for every manager made from a {@link SharedPool} or derived from another manager.
     */
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
    public int execute(String sql, @Nullable Object... args) {
        return operations.execute(sql, args);
    }

    @Override
    public long executeMany(String sql, Iterable<? extends List<?>> argumentLists) {
        return operations.executeMany(sql, argumentLists);
    }

    @Override
    public Optional<Record> fetchOne(String sql, @Nullable Object... args) {
        return operations.fetchOne(sql, args);
    }

    @Override
    public <T> Optional<T> fetchOne(Class<T> type, String sql, @Nullable Object... args) {
        return operations.fetchOne(type, sql, args);
    }

    @Override
    public Result<Record> fetchAll(String sql, @Nullable Object... args) {
        return operations.fetchAll(sql, args);
    }

    @Override
    public <T> List<T> fetchAll(Class<T> type, String sql, @Nullable Object... args) {
        return operations.fetchAll(type, sql, args);
    }

    @Override
    public <T> @Nullable T fetchValue(Class<T> type, String sql, @Nullable Object... args) {
        return operations.fetchValue(type, sql, args);
    }

    @Override
    public long copyRecords(String table, List<String> columns, Iterable<? extends List<?>> rows) {
        return operations.copyRecords(table, columns, rows);
    }

    @Override
    public <T extends @Nullable Object, X extends Exception> T transactionResult(TransactionCallback<T, X> work)
            throws X {
        return operations.transactionResult(work);
    }

    @Override
    public PreparedQuery prepare(String sql) {
        return operations.prepare(sql);
    }

    @Override
    public <R extends Record> PreparedSelect<R> prepare(Select<R> query) {
        return operations.prepare(query);
    }

    @Override
    public PreparedQuery prepare(Query query) {
        return operations.prepare(query);
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
                + (schemaMappings.isEmpty() ? "" : ", mappings=" + new TreeMap<>(schemaMappings))
                + (ownsPool ? ", owns pool" : "") + "]";
    }
}
