package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.testing.MigrationSpec;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Test databases handed out again after a reset: random tests change random data and run random DDL through
 * the pool, through connections of their own left open (idle in a transaction, holding advisory locks,
 * listening) and through maintenance commands; every database handed out next must show exactly the
 * template's state — every table's rows, every sequence, and the catalog as an observer of its own reads
 * it (relations, columns, constraints, indexes, triggers, functions, types, views, comments, grants,
 * database settings, extensions, large objects, sessions and locks). A database whose test changed its
 * catalog must never be handed out again.
 */
class TestDatabaseReusePropertyTest {
    private static final List<MigrationSpec> MIGRATIONS = List.of(
            MigrationSpec.of("classpath:db/reuse/shop", "shop", "shop"),
            MigrationSpec.of("classpath:db/reuse/ledger", "ledger", "ledger"));

    private static TestDatabaseFactory factory;
    private static Map<String, String> template;
    private static final Set<String> seen = new HashSet<>();
    private static final Set<String> catalogChanged = new HashSet<>();
    private static final List<Connection> leftOpen = new ArrayList<>();
    private static final AtomicInteger handouts = new AtomicInteger();
    private static final AtomicInteger reused = new AtomicInteger();
    private static final AtomicInteger operations = new AtomicInteger();
    private static final AtomicInteger catalogTests = new AtomicInteger();
    /** The last test, for failure messages. */
    private static String previous = "none (a fresh clone)";

    @BeforeContainer
    static void open() {
        // one prefetched clone: handouts alternate between fresh clones and reset databases
        factory = TestDatabaseFactory.builder().prefetch(1).build();
        try (TestDatabase fresh = factory.create(MIGRATIONS)) {
            template = observe(fresh);
            seen.add(fresh.name());
            handouts.incrementAndGet();
        }
    }

    @AfterContainer
    static void close() {
        try {
            if (factory != null) {
                try (TestDatabase last = factory.create(MIGRATIONS)) {
                    handOut(last, previous);
                }
            }
        } finally {
            for (Connection connection : leftOpen) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // ended by a reset
                }
            }
            org.slf4j.LoggerFactory.getLogger(TestDatabaseReusePropertyTest.class)
                    .info(
                            "Test database reuse: {} handouts ({} of a reset database), {} operations, {} tests"
                                    + " changed the catalog",
                            handouts.get(),
                            reused.get(),
                            operations.get(),
                            catalogTests.get());
            if (factory != null) {
                factory.close();
            }
        }
    }

    /** What an operation is expected to do to a database's reuse. */
    enum Kind {
        /** Changes data only (or fails): the database may be reused. */
        DATA,
        /** Changes the catalog (or keeps a pool connection) when it succeeds: never to be handed out again. */
        CATALOG,
        /** Neither promised: maintenance that rewrites files, say. */
        EITHER
    }

    enum Via {
        POOL,
        OWN_CONNECTION_LEFT_OPEN,
        /** A connection borrowed from the test's pool and never given back. */
        POOL_CONNECTION_KEPT
    }

    record Operation(Kind kind, Via via, String sql) {
        @Override
        public String toString() {
            return kind + "/" + via + ": " + sql;
        }
    }

    @Property(tries = 60)
    void everyHandedOutDatabaseShowsExactlyTheTemplate(@ForAll("tests") List<List<Operation>> tests) {
        for (List<Operation> test : tests) {
            TestDatabase database = factory.create(MIGRATIONS);
            try {
                handOut(database, previous);
                boolean changedCatalog = false;
                // connections left open come last: their locks would otherwise block the test's own work
                List<Operation> ordered = new ArrayList<>(test);
                ordered.sort(java.util.Comparator.comparing(Operation::via));
                for (Operation operation : ordered) {
                    operations.incrementAndGet();
                    if (run(database, operation) && operation.kind() == Kind.CATALOG) {
                        changedCatalog = true;
                    }
                }
                if (changedCatalog) {
                    catalogChanged.add(database.name());
                    catalogTests.incrementAndGet();
                }
            } finally {
                database.close();
            }
            previous = database.name() + " after " + test;
        }
    }

    private static void handOut(TestDatabase database, String after) {
        handouts.incrementAndGet();
        assertThat(catalogChanged)
                .as("%s was handed out again although its test changed the catalog", database.name())
                .doesNotContain(database.name());
        if (!seen.add(database.name())) {
            reused.incrementAndGet();
        }
        Map<String, String> now = observe(database);
        for (Map.Entry<String, String> part : template.entrySet()) {
            assertThat(now.get(part.getKey()))
                    .as("%s of %s, handed out after %s", part.getKey(), database.name(), after)
                    .isEqualTo(part.getValue());
        }
        assertThat(now.keySet()).isEqualTo(template.keySet());
    }

    /** Runs one operation; true when it succeeded. */
    private static boolean run(TestDatabase database, Operation operation) {
        String sql = operation.sql().replace("%db", database.name());
        try {
            if (operation.via() == Via.POOL) {
                database.manager().execute(sql);
            } else if (operation.via() == Via.POOL_CONNECTION_KEPT) {
                Connection kept = database.pool().acquire();
                leftOpen.add(kept);
                try (Statement statement = kept.createStatement()) {
                    statement.execute("SET lock_timeout = '200ms'");
                    statement.execute(sql);
                }
                return true; // kept, whatever the statement did: the database must not be reused
            } else {
                Connection own = database.server().connect(database.name());
                leftOpen.add(own);
                try (Statement statement = own.createStatement()) {
                    statement.execute("SET lock_timeout = '200ms'");
                    statement.execute("BEGIN");
                    statement.execute(sql);
                }
                // left open, in its transaction: the reset must end it (and so undo what it did)
            }
            return operation.via() == Via.POOL;
        } catch (RuntimeException | SQLException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<List<List<Operation>>> tests() {
        return operation().list().ofMinSize(1).ofMaxSize(6).list().ofMinSize(1).ofMaxSize(4);
    }

    private static Arbitrary<Operation> operation() {
        Arbitrary<Integer> k = Arbitraries.integers().between(1, 5);
        Arbitrary<String> word =
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> table = Arbitraries.of(
                "shop.customers",
                "shop.orders",
                "shop.order_log",
                "shop.events",
                "shop.events_2025",
                "shop.cache",
                "shop.empty_until_used",
                "ledger.entries");
        Arbitrary<String> data = Arbitraries.oneOf(
                word.map(w -> "INSERT INTO shop.customers (email) VALUES ('" + w + "@example.com')"),
                Combinators.combine(
                                k, Arbitraries.integers().between(-5, 500), Arbitraries.of("new", "paid", "shipped"))
                        .as((c, t, s) -> "INSERT INTO shop.orders (customer_id, total, status) VALUES (" + c + ", " + t
                                + ", '" + s + "')"),
                Combinators.combine(k, Arbitraries.of("new", "paid", "shipped"))
                        .as((id, s) ->
                                "UPDATE shop.orders SET status = '" + s + "', note = 'changed' WHERE id = " + id),
                k.map(id -> "DELETE FROM shop.customers WHERE id = " + id),
                Combinators.combine(Arbitraries.integers().between(2023, 2031), word)
                        .as((y, w) -> "INSERT INTO shop.events VALUES ('" + y + "-06-01', '" + w + "', '{}')"),
                k.map(n -> "SELECT nextval('shop.invoice_numbers') FROM generate_series(1, " + n + ")"),
                Arbitraries.integers().between(1, 99999).map(n -> "SELECT setval('shop.invoice_numbers', " + n + ")"),
                k.map(c -> "INSERT INTO ledger.entries (customer_id, amount) VALUES (" + c + ", 1)"),
                table.map(t -> "TRUNCATE " + t + " CASCADE"),
                table.map(t -> "DELETE FROM " + t),
                word.map(w -> "INSERT INTO shop.cache VALUES ('" + w + "', 'x') ON CONFLICT (k) DO UPDATE SET v = 'y'"),
                Arbitraries.just("UPDATE shop.paid_orders SET total = total + 1"),
                Arbitraries.just("INSERT INTO shop.customers (id, email) VALUES (100, 'explicit@example.com')"),
                Arbitraries.just("SELECT pg_advisory_lock(42)"),
                Arbitraries.just("LISTEN reuse_channel"),
                Arbitraries.just("SET search_path TO ledger"));
        Arbitrary<String> large = Arbitraries.integers()
                .between(1, 16)
                .map(n -> "INSERT INTO shop.empty_until_used"
                        + " SELECT g, convert_to((SELECT string_agg(md5(random()::text || g || i), '') FROM"
                        + " generate_series(1, 20000) i), 'UTF8') FROM generate_series(1, " + n + ") g");
        Arbitrary<String> catalog = Arbitraries.oneOf(
                k.map(n -> "CREATE TABLE shop.extra_" + n + " (x int)"),
                Arbitraries.of(
                        "DROP TABLE shop.cache",
                        "ALTER TABLE shop.orders ADD COLUMN extra int",
                        "ALTER TABLE shop.orders DROP COLUMN note",
                        "ALTER TABLE shop.orders RENAME COLUMN note TO remark",
                        "ALTER TABLE shop.orders ALTER COLUMN total TYPE numeric(14, 2)",
                        "ALTER TABLE shop.orders ALTER COLUMN status SET DEFAULT 'paid'",
                        "ALTER TABLE shop.customers ALTER COLUMN email SET STATISTICS 500",
                        "ALTER TABLE shop.customers SET (fillfactor = 50)",
                        "ALTER TABLE shop.orders REPLICA IDENTITY FULL",
                        "ALTER TABLE shop.order_log SET UNLOGGED",
                        "ALTER TABLE shop.cache RENAME TO cache_renamed",
                        "ALTER TABLE shop.events DETACH PARTITION shop.events_other",
                        "ALTER TABLE ledger.entries ADD CONSTRAINT sane CHECK (amount > -1000000) NOT VALID",
                        "CREATE INDEX ON shop.orders (total)",
                        "ALTER SEQUENCE shop.invoice_numbers INCREMENT BY 5",
                        "ALTER TYPE shop.status ADD VALUE 'refunded'",
                        "COMMENT ON TABLE shop.orders IS 'changed'",
                        "COMMENT ON COLUMN shop.orders.total IS 'changed'",
                        "COMMENT ON FUNCTION pg_catalog.md5(text) IS 'changed'",
                        "GRANT SELECT ON shop.orders TO PUBLIC",
                        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
                        "REVOKE EXECUTE ON FUNCTION pg_catalog.md5(text) FROM PUBLIC",
                        "REVOKE USAGE ON TYPE shop.status FROM PUBLIC",
                        "CREATE OR REPLACE FUNCTION shop.log_order() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                                + " INSERT INTO shop.order_log (order_id, what) VALUES (NEW.id, TG_OP); RETURN NEW; END $$",
                        "ALTER FUNCTION shop.log_order() SET search_path = shop",
                        "DROP TRIGGER order_logged ON shop.orders",
                        "ALTER TABLE shop.orders DISABLE TRIGGER order_logged",
                        "CREATE TRIGGER again AFTER DELETE ON shop.orders FOR EACH ROW EXECUTE FUNCTION"
                                + " shop.log_order()",
                        "CREATE SCHEMA extra",
                        "CREATE TABLE public.stray (x int)",
                        "CREATE VIEW shop.more AS SELECT 1 AS one",
                        "CREATE DOMAIN shop.positive AS int CHECK (VALUE > 0)",
                        "CREATE POLICY everyone ON shop.orders USING (true)",
                        "ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY",
                        "CREATE STATISTICS shop.together ON customer_id, status FROM shop.orders",
                        "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC",
                        "CREATE PUBLICATION reuse_publication FOR TABLE shop.orders",
                        "CREATE RULE noisy AS ON INSERT TO shop.cache DO ALSO NOTIFY cache_changed",
                        "CREATE EXTENSION IF NOT EXISTS hstore SCHEMA shop",
                        "CREATE FUNCTION shop.noop() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;"
                                + " CREATE EVENT TRIGGER reuse_event ON ddl_command_end EXECUTE FUNCTION shop.noop()",
                        "SELECT lo_from_bytea(0, 'large object')",
                        "GRANT SELECT (relname) ON pg_catalog.pg_class TO PUBLIC",
                        "ALTER TEXT SEARCH CONFIGURATION english ALTER MAPPING FOR word WITH simple",
                        "REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC",
                        "DROP EXTENSION plpgsql CASCADE",
                        "REFRESH MATERIALIZED VIEW shop.totals",
                        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET work_mem = ''8MB''', current_database());"
                                + " END $$",
                        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I CONNECTION LIMIT 90', current_database());"
                                + " END $$",
                        "DO $$ BEGIN EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC',"
                                + " current_database()); END $$",
                        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I WITH ALLOW_CONNECTIONS false',"
                                + " current_database()); END $$"));
        Arbitrary<String> maintenance = Arbitraries.of(
                "CREATE TEMP TABLE scratch AS SELECT * FROM shop.orders",
                "VACUUM ANALYZE shop.orders",
                "VACUUM FULL shop.customers",
                "CLUSTER shop.orders USING orders_pkey",
                "REINDEX TABLE shop.customers",
                "ANALYZE",
                "ALTER SEQUENCE shop.invoice_numbers RESTART WITH 7");
        Arbitrary<Operation> pooled = Arbitraries.frequencyOf(
                Tuple.of(60, data.map(sql -> new Operation(Kind.DATA, Via.POOL, sql))),
                Tuple.of(2, large.map(sql -> new Operation(Kind.DATA, Via.POOL, sql))),
                Tuple.of(20, catalog.map(sql -> new Operation(Kind.CATALOG, Via.POOL, sql))),
                Tuple.of(5, maintenance.map(sql -> new Operation(Kind.EITHER, Via.POOL, sql))));
        Arbitrary<Operation> own = Arbitraries.oneOf(data, catalog)
                .map(sql -> new Operation(Kind.DATA, Via.OWN_CONNECTION_LEFT_OPEN, sql));
        Arbitrary<Operation> kept =
                Arbitraries.oneOf(data, catalog).map(sql -> new Operation(Kind.CATALOG, Via.POOL_CONNECTION_KEPT, sql));
        return Arbitraries.frequencyOf(Tuple.of(36, pooled), Tuple.of(4, own), Tuple.of(1, kept));
    }

    /**
     * The state of a database as tests could see it, read independently of the factory's own fingerprint:
     * by meaning (definitions, names, grants), not by row versions.
     */
    static Map<String, String> observe(TestDatabase database) {
        Map<String, String> parts = new LinkedHashMap<>();
        DatabaseManager admin = database.pool().manager();
        String user = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'";
        for (String relation : admin.fetchAll(
                String.class,
                "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
                        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm')"
                        + " AND " + user + " ORDER BY 1")) {
            parts.put(
                    "rows of " + relation,
                    admin.fetchValue(
                            String.class,
                            "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, ';' ORDER BY t::text), ''))"
                                    + " FROM " + relation + " t"));
        }
        for (String sequence : admin.fetchAll(
                String.class,
                "SELECT quote_ident(schemaname) || '.'"
                        + " || quote_ident(sequencename) FROM pg_sequences ORDER BY 1")) {
            parts.put(
                    "sequence " + sequence,
                    admin.fetchValue(String.class, "SELECT last_value || ' ' || is_called FROM " + sequence));
        }
        Map<String, String> catalog = new LinkedHashMap<>();
        catalog.put(
                "sequences",
                lines(
                        "concat_ws(' ', schemaname, sequencename, data_type, start_value, min_value,"
                                + " max_value, increment_by, cycle, cache_size)",
                        "FROM pg_sequences"));
        catalog.put(
                "relations",
                lines(
                        "concat_ws(' ', n.nspname, c.relname, c.relkind, c.relpersistence,"
                                + " c.relacl::text, c.reloptions::text, c.relrowsecurity, c.relforcerowsecurity, c.relreplident,"
                                + " c.relispartition, pg_get_expr(c.relpartbound, c.oid), c.relhastriggers, c.relhasrules,"
                                + " pg_get_userbyid(c.relowner))",
                        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace" + " WHERE " + user));
        catalog.put(
                "columns",
                lines(
                        "concat_ws(' ', c.oid::regclass, a.attnum, a.attname,"
                                + " format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),"
                                + " a.attidentity, a.attgenerated, a.attstattarget, a.attstorage, a.attacl::text, a.attoptions::text,"
                                + " col_description(c.oid, a.attnum))",
                        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                                + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                                + " WHERE a.attnum > 0 AND NOT a.attisdropped AND " + user));
        catalog.put(
                "constraints",
                lines(
                        "concat_ws(' ', conrelid::regclass, contypid::regtype, conname,"
                                + " pg_get_constraintdef(c.oid), convalidated, condeferrable)",
                        "FROM pg_constraint c" + " JOIN pg_namespace n ON n.oid = c.connamespace WHERE " + user));
        catalog.put(
                "indexes",
                lines("indexdef", "FROM pg_indexes" + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"));
        catalog.put(
                "triggers",
                lines("pg_get_triggerdef(oid) || ' ' || tgenabled::text", "FROM pg_trigger WHERE NOT tgisinternal"));
        catalog.put("event triggers", lines("evtname || ' ' || evtenabled::text", "FROM pg_event_trigger"));
        catalog.put(
                "functions",
                lines(
                        "concat_ws(' ', p.oid::regprocedure, p.prosrc, p.proconfig::text,"
                                + " p.proacl::text, p.provolatile, p.prosecdef)",
                        "FROM pg_proc p" + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE " + user
                                + " OR p.proacl IS NOT NULL"));
        catalog.put(
                "types",
                lines(
                        "concat_ws(' ', t.oid::regtype, t.typtype, t.typacl::text, t.typnotnull,"
                                + " pg_get_expr(t.typdefaultbin, 0))",
                        "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace" + " WHERE " + user
                                + " OR t.typacl IS NOT NULL"));
        catalog.put(
                "enum labels",
                lines(
                        "enumtypid::regtype || ' ' || to_char(enumsortorder, '00000.0000') || ' '" + " || enumlabel",
                        "FROM pg_enum"));
        catalog.put(
                "views",
                lines(
                        "schemaname || '.' || viewname || ' ' || definition",
                        "FROM pg_views" + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"));
        catalog.put(
                "materialized views",
                lines("concat_ws(' ', schemaname, matviewname, ispopulated, definition)", "FROM pg_matviews"));
        catalog.put(
                "schemas",
                lines("concat_ws(' ', nspname, pg_get_userbyid(nspowner), nspacl::text)", "FROM pg_namespace"));
        catalog.put(
                "comments",
                "SELECT count(*) || ' ' || md5(string_agg(concat_ws(' ', objoid, classoid, objsubid,"
                        + " description), ',' ORDER BY objoid, classoid, objsubid)) FROM pg_description");
        catalog.put("policies", lines("concat_ws(' ', schemaname, tablename, policyname, qual)", "FROM pg_policies"));
        catalog.put(
                "rules",
                lines("definition", "FROM pg_rules" + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"));
        catalog.put("default privileges", lines("defaclacl::text", "FROM pg_default_acl"));
        catalog.put("publications", lines("pubname", "FROM pg_publication"));
        catalog.put("extended statistics", lines("stxname", "FROM pg_statistic_ext"));
        catalog.put(
                "extensions",
                lines("concat_ws(' ', extname, extversion, extnamespace::regnamespace)", "FROM pg_extension"));
        catalog.put(
                "large objects",
                "SELECT (SELECT count(*) FROM pg_largeobject_metadata) || ' '"
                        + " || (SELECT md5(coalesce(string_agg(data::text, ',' ORDER BY loid, pageno), '')) FROM pg_largeobject)");
        catalog.put(
                "database",
                "SELECT concat_ws(' ', datconnlimit, datallowconn, datistemplate, datacl::text,"
                        + " pg_get_userbyid(datdba)) FROM pg_database WHERE datname = current_database()");
        catalog.put(
                "database settings",
                lines(
                        "setconfig::text",
                        "FROM pg_db_role_setting"
                                + " WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())"));
        catalog.put(
                "other sessions",
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND application_name IS DISTINCT FROM current_setting('application_name')");
        catalog.put(
                "open transactions",
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND pid <> pg_backend_pid() AND xact_start IS NOT NULL");
        catalog.put(
                "advisory locks",
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        for (Map.Entry<String, String> part : catalog.entrySet()) {
            parts.put(part.getKey(), admin.fetchValue(String.class, part.getValue()));
        }
        parts.put("catalog row counts", catalogRowCounts(admin));
        return parts;
    }

    /** A query for {@code expression}'s values {@code from} a catalog, sorted, one per line. */
    private static String lines(String expression, String from) {
        return "SELECT string_agg(x, E'\\n' ORDER BY x) FROM (SELECT " + expression + " AS x " + from + ") s";
    }

    /** How many rows each catalog of the database holds: anything added or removed that the parts above miss. */
    private static String catalogRowCounts(DatabaseManager admin) {
        StringBuilder counts = new StringBuilder();
        for (String catalog : admin.fetchAll(
                String.class,
                "SELECT relname FROM pg_class WHERE relnamespace ="
                        + " 'pg_catalog'::regnamespace AND relkind = 'r' AND NOT relisshared AND relname NOT IN"
                        + " ('pg_statistic', 'pg_statistic_ext_data') ORDER BY 1")) {
            counts.append(catalog)
                    .append('=')
                    .append(admin.fetchValue(Long.class, "SELECT count(*) FROM pg_catalog." + catalog))
                    .append(' ');
        }
        return counts.toString();
    }
}
