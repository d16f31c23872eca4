package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.pgdbm.DatabaseManager;
import io.pgdbm.ModuleDescriptor;
import io.pgdbm.PreparedQuery;
import io.pgdbm.PreparedSelect;
import io.pgdbm.SharedPool;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * {@code prepare(Select)} and {@code prepare(Query)} against jOOQ itself: for generated selects, inserts,
 * updates and deletes (random columns, conditions, nulls, inline and bound values, with and without
 * {@code RETURNING}), the prepared statement's SQL is what jOOQ renders for the manager, and running it with
 * the query's own bind values changes and returns exactly what running the query through jOOQ does — on a
 * manager with RenderMapping (module schema "prop" rendered as another schema) and on one without.
 */
class PreparedQueryPropertyTest {
    private static final ModuleDescriptor PROP = ModuleDescriptor.of("prop", "prop", "classpath:unused");
    private static final Table<Record> ITEMS = table(name("prop", "items"));
    private static final Field<Long> ID = field(name("prop", "items", "id"), SQLDataType.BIGINT);
    private static final Field<String> NAME = field(name("prop", "items", "name"), SQLDataType.CLOB);
    private static final Field<Integer> QTY = field(name("prop", "items", "qty"), SQLDataType.INTEGER);
    private static final Field<BigDecimal> PRICE = field(name("prop", "items", "price"), SQLDataType.NUMERIC(10, 2));

    private static TestDatabase database;
    private static SharedPool pool;
    private static final AtomicInteger queries = new AtomicInteger();

    @BeforeContainer
    static void open() {
        database = TestDatabaseFactory.shared().create();
        pool = database.pool();
        for (String schema : List.of("prop", "prop_mapped")) {
            DatabaseManager db = pool.manager(schema);
            db.ensureSchema();
            db.execute(
                    "CREATE TABLE {{tables.items}} (id bigint PRIMARY KEY, name text, qty int, price numeric(10, 2))");
        }
    }

    @AfterContainer
    static void close() {
        org.slf4j.LoggerFactory.getLogger(PreparedQueryPropertyTest.class)
                .info("Prepared queries compared with jOOQ: {}", queries.get());
        if (database != null) {
            database.close();
        }
    }

    @Property(tries = 300)
    void aPreparedQueryDoesWhatJooqDoes(@ForAll long seed) {
        // with RenderMapping (module schema "prop" rendered as prop_mapped) and without (rendered as "prop")
        DatabaseManager db = seed % 2 == 0 ? pool.manager("prop_mapped").forModule(PROP) : pool.manager("prop");
        Function<DSLContext, Query> build = dsl -> new Generator(new Random(seed)).query(dsl);

        seedRows(db, seed);
        Outcome expected = runThroughJooq(build.apply(db.dsl()));
        List<List<String>> afterJooq = rows(db);

        seedRows(db, seed);
        Query query = build.apply(db.dsl());
        Outcome actual = runPrepared(db, query);
        queries.incrementAndGet();

        assertThat(actual).as("%s", query).isEqualTo(expected);
        assertThat(rows(db)).as("%s", query).isEqualTo(afterJooq);
    }

    private static void seedRows(DatabaseManager db, long seed) {
        db.execute("TRUNCATE {{tables.items}}");
        Random random = new Random(seed ^ 0x5eed);
        for (long id = 1; id <= 8; id++) {
            db.execute(
                    "INSERT INTO {{tables.items}} VALUES ($1, $2, $3, $4)",
                    id,
                    random.nextInt(4) == 0 ? null : "n" + random.nextInt(5),
                    random.nextInt(4) == 0 ? null : random.nextInt(10),
                    random.nextInt(4) == 0 ? null : BigDecimal.valueOf(random.nextInt(1000), 2));
        }
    }

    private static List<List<String>> rows(DatabaseManager db) {
        List<List<String>> rows = new ArrayList<>();
        for (Record row : db.fetchAll("SELECT id, name, qty, price FROM {{tables.items}} ORDER BY id")) {
            rows.add(List.of(
                    String.valueOf(row.get(0)),
                    String.valueOf(row.get(1)),
                    String.valueOf(row.get(2)),
                    String.valueOf(row.get(3))));
        }
        return rows;
    }

    /** Rows changed, and the rows a select or RETURNING gave back (as text), or the failure's SQLState. */
    record Outcome(int changed, List<String> returned, String failure) {}

    private static Outcome runThroughJooq(Query query) {
        try {
            if (query instanceof ResultQuery<?> result) {
                return new Outcome(0, text(result.fetch()), null);
            }
            return new Outcome(query.execute(), List.of(), null);
        } catch (org.jooq.exception.DataAccessException e) {
            return new Outcome(0, List.of(), e.sqlState());
        }
    }

    @SuppressWarnings("unchecked")
    private static Outcome runPrepared(DatabaseManager db, Query query) {
        Object[] args = db.dsl().extractBindValues(query).toArray();
        try {
            if (query instanceof Select<?> select) {
                PreparedSelect<Record> prepared = db.prepare((Select<Record>) select);
                assertThat(prepared.sql()).isEqualTo(db.dsl().render(query));
                return new Outcome(0, text(prepared.fetchAll(args)), null);
            }
            PreparedQuery prepared = db.prepare(query);
            assertThat(prepared.sql()).isEqualTo(db.dsl().render(query));
            if (query instanceof ResultQuery<?>) {
                return new Outcome(0, text(prepared.fetchAll(args)), null);
            }
            return new Outcome(prepared.execute(args), List.of(), null);
        } catch (io.pgdbm.QueryException e) {
            return new Outcome(0, List.of(), e.sqlState().orElse("none"));
        }
    }

    private static List<String> text(org.jooq.Result<?> rows) {
        List<String> text = new ArrayList<>();
        for (Record row : rows) {
            List<String> values = new ArrayList<>();
            for (Object value : row.intoArray()) {
                values.add(
                        value instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : String.valueOf(value));
            }
            text.add(String.join("|", values));
        }
        return text;
    }

    /** Random queries over prop.items; the same seed builds the same query on any DSLContext. */
    private record Generator(Random random) {
        Query query(DSLContext dsl) {
            return switch (random.nextInt(4)) {
                case 0 -> select(dsl);
                case 1 -> insert(dsl);
                case 2 -> update(dsl);
                default -> delete(dsl);
            };
        }

        private Query select(DSLContext dsl) {
            var query = dsl.select(ID, NAME, QTY, PRICE)
                    .from(ITEMS)
                    .where(condition(2))
                    .orderBy(ID);
            return random.nextBoolean() ? query.limit(value(1 + random.nextInt(5))) : query;
        }

        private Query insert(DSLContext dsl) {
            long id =
                    random.nextInt(3) == 0 ? 1 + random.nextInt(8) : 100 + random.nextInt(100); // sometimes a duplicate
            var insert = dsl.insertInto(ITEMS, ID, NAME, QTY, PRICE)
                    .values(value(id), value(maybe(nameValue())), value(maybe(qtyValue())), value(maybe(priceValue())));
            return random.nextBoolean() ? insert.returning(ID, QTY) : insert;
        }

        private Query update(DSLContext dsl) {
            var update = dsl.update(ITEMS)
                    .set(QTY, random.nextBoolean() ? value(maybe(qtyValue())) : QTY.plus(value(qtyValue())))
                    .set(NAME, value(maybe(nameValue())))
                    .where(condition(2));
            return random.nextBoolean() ? update.returning(ID, NAME, QTY) : update;
        }

        private Query delete(DSLContext dsl) {
            var delete = dsl.deleteFrom(ITEMS).where(condition(2));
            return random.nextBoolean() ? delete.returning(ID) : delete;
        }

        private Condition condition(int depth) {
            if (depth > 0 && random.nextInt(3) == 0) {
                Condition left = condition(depth - 1);
                Condition right = condition(depth - 1);
                return switch (random.nextInt(3)) {
                    case 0 -> left.and(right);
                    case 1 -> left.or(right);
                    default -> left.andNot(right);
                };
            }
            return switch (random.nextInt(8)) {
                case 0 -> ID.eq(value((long) 1 + random.nextInt(9)));
                case 1 -> QTY.lt(value(qtyValue()));
                case 2 -> QTY.isNull();
                case 3 -> NAME.in(value(nameValue()), value(nameValue()));
                case 4 -> PRICE.between(value(priceValue()), value(priceValue()));
                case 5 -> NAME.isNotDistinctFrom(value(maybe(nameValue())));
                case 6 -> ID.ge(value((long) random.nextInt(9))).and(QTY.isNotNull());
                default -> DSL.trueCondition();
            };
        }

        /** A bind value, or sometimes an inline one: inline values are part of the SQL, not arguments. */
        private <T> Field<T> value(T value) {
            return random.nextInt(5) == 0 ? DSL.inline(value) : DSL.val(value);
        }

        private <T> T maybe(T value) {
            return random.nextInt(4) == 0 ? null : value;
        }

        private String nameValue() {
            return "n" + random.nextInt(5);
        }

        private Integer qtyValue() {
            return random.nextInt(10);
        }

        private BigDecimal priceValue() {
            return BigDecimal.valueOf(random.nextInt(1000), 2);
        }
    }
}
