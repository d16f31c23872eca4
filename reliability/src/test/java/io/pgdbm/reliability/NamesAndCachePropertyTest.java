package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pgdbm.DatabaseManager;
import io.pgdbm.IdentifierException;
import io.pgdbm.SharedPool;
import io.pgdbm.internal.ParameterTranslator;
import io.pgdbm.internal.SqlTemplate;
import io.pgdbm.internal.StatementCache;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Names PostgreSQL keeps for itself are refused as schemas of managers and tenants, in any case; every
 * keyword the server reserves works as a table name through {@code {{tables.…}}}, with and without a schema
 * (the server's own keyword list is the oracle); and the statement cache stays within its bounds whatever
 * sizes of statement pass through it, while handing back what rendering from scratch would.
 */
class NamesAndCachePropertyTest {
    private static TestDatabase database;
    private static SharedPool pool;
    private static List<String> reserved;
    private static final AtomicInteger names = new AtomicInteger();
    private static final AtomicInteger tables = new AtomicInteger();
    private static final AtomicInteger statements = new AtomicInteger();

    @BeforeContainer
    static void open() {
        database = TestDatabaseFactory.shared().create();
        pool = database.pool();
        reserved = pool.manager()
                .fetchAll(String.class, "SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T') ORDER BY word");
    }

    @AfterContainer
    static void close() {
        org.slf4j.LoggerFactory.getLogger(NamesAndCachePropertyTest.class)
                .info(
                        "Names: {} schema names, {} reserved-word tables; cache: {} statements",
                        names.get(),
                        tables.get(),
                        statements.get());
        if (database != null) {
            database.close();
        }
    }

    @Provide
    Arbitrary<String> schemaNames() {
        Arbitrary<String> tail = Arbitraries.strings().withChars("abcxyz_019").ofMaxLength(10);
        Arbitrary<String> prefixed = Combinators.combine(Arbitraries.of("pg_", "PG_", "Pg_", "pG_", "pg", "p_g_"), tail)
                .as((prefix, rest) -> prefix + rest);
        Arbitrary<String> system = Arbitraries.of(
                "pg_temp",
                "pg_catalog",
                "pg_toast",
                "information_schema",
                "INFORMATION_SCHEMA",
                "Information_Schema",
                "information_schema_x",
                "pg_temp_1",
                "pgdbm",
                "public_pg_");
        return Arbitraries.oneOf(prefixed, system)
                .filter(name -> !name.isEmpty() && !Character.isDigit(name.charAt(0)));
    }

    @Property(tries = 300)
    void namesPostgresKeepsAreRefusedForSchemas(@ForAll("schemaNames") String name) {
        names.incrementAndGet();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean kept = lower.startsWith("pg_") || lower.equals("information_schema");
        Throwable thrown = catchThrowable(() -> pool.manager(name));
        if (kept) {
            assertThat(thrown).as(name).isInstanceOf(IdentifierException.class);
        } else {
            assertThat(thrown).as(name).isNull();
            // the server agrees the name is fine: it creates the schema
            DatabaseManager db = pool.manager(name);
            db.ensureSchema();
        }
    }

    @Provide
    Arbitrary<String> reservedWords() {
        return Arbitraries.of(reserved)
                .flatMap(word -> Arbitraries.of(
                        word,
                        word.toUpperCase(Locale.ROOT),
                        Character.toUpperCase(word.charAt(0)) + word.substring(1)));
    }

    @Property(tries = 150)
    void everyReservedWordNamesATable(@ForAll("reservedWords") String word, @ForAll boolean withSchema) {
        tables.incrementAndGet();
        DatabaseManager db = withSchema ? pool.manager("reserved_tables") : pool.manager();
        db.ensureSchema();
        db.execute("CREATE TABLE IF NOT EXISTS {{tables." + word + "}} (id int)");
        db.execute("INSERT INTO {{tables." + word + "}} VALUES ($1)", 1);
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables." + word + "}}"))
                .isPositive();
        assertThat(db.tableExists(word)).isTrue();
    }

    @Provide
    Arbitrary<List<Integer>> statementSizes() {
        return Arbitraries.oneOf(
                        Arbitraries.integers().between(0, 200),
                        Arbitraries.integers().between(1_000, 40_000),
                        Arbitraries.integers().between(60_000, 80_000))
                .list()
                .ofMinSize(1)
                .ofMaxSize(120);
    }

    @Property(tries = 40)
    void theStatementCacheStaysBoundedAndHandsBackWhatRenderingWould(@ForAll("statementSizes") List<Integer> sizes) {
        StatementCache cache = new StatementCache("tenant", 2048, Set.of());
        int i = 0;
        for (int size : sizes) {
            statements.incrementAndGet();
            String sql = "SELECT * FROM {{tables.t" + (i++ % 7) + "}} WHERE id = $1 -- " + "x".repeat(size) + " " + i;
            StatementCache.Entry entry = cache.get(sql);
            assertThat(entry.renderedSql()).isEqualTo(SqlTemplate.render(sql, "tenant"));
            assertThat(entry.parsed()).isEqualTo(ParameterTranslator.translate(entry.renderedSql()));
            assertThat(cache.chars()).isLessThanOrEqualTo(StatementCache.MAX_CHARS);
            assertThat(cache.size()).isLessThanOrEqualTo(2048);
        }
    }
}
