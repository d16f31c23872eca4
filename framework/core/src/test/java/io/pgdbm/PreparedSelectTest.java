package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.pgdbm.monitoring.QueryEvent;
import io.pgdbm.monitoring.QueryMonitor;
import java.util.List;
import java.util.Optional;
import org.jooq.Converter;
import org.jooq.EnumType;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Record2;
import org.jooq.Result;
import org.jooq.Schema;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jooq.impl.TableImpl;
import org.jooq.impl.TableRecordImpl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code prepare(Select)}: a jOOQ query rendered once with the manager's mapping, run with new bind values. */
@ExtendWith(PostgresExtension.class)
class PreparedSelectTest {
    static final ModuleDescriptor SHOP = ModuleDescriptor.of("shop", "shop", "classpath:db/shop");

    /** A value type stored as text, through a jOOQ converter, as a forcedType would generate. */
    record Sku(String code) {}

    static final Converter<String, Sku> SKU = Converter.of(String.class, Sku.class, Sku::new, Sku::code);

    /** Hand-written as jOOQ's generator writes a table: canonical schema "shop". */
    static final class Products extends TableImpl<ProductRecord> {
        private static final long serialVersionUID = 1L;
        static final Schema SCHEMA = DSL.schema(name("shop"));
        static final Products PRODUCTS = new Products();

        final TableField<ProductRecord, Long> id = createField(name("id"), SQLDataType.BIGINT.nullable(false));
        final TableField<ProductRecord, Sku> sku = createField(name("sku"), SQLDataType.CLOB, "", SKU);
        final TableField<ProductRecord, Integer> qty = createField(name("qty"), SQLDataType.INTEGER);

        Products() {
            super(name("products"), SCHEMA);
        }

        @Override
        public Class<ProductRecord> getRecordType() {
            return ProductRecord.class;
        }
    }

    public static final class ProductRecord extends TableRecordImpl<ProductRecord> {
        private static final long serialVersionUID = 1L;

        public ProductRecord() {
            super(Products.PRODUCTS);
        }
    }

    static final Products P = Products.PRODUCTS;

    /** As jOOQ generates a PostgreSQL enum: the Java constant differs from the database label. */
    enum Mood implements EnumType {
        VERY_HAPPY("very happy"),
        SAD("sad");

        private final String literal;

        Mood(String literal) {
            this.literal = literal;
        }

        @Override
        public String getLiteral() {
            return literal;
        }

        @Override
        public String getName() {
            return "mood";
        }
    }

    @BeforeAll
    static void tables(SharedPool pool) {
        for (String schema : new String[] {"shop_eu", "shop_us"}) {
            DatabaseManager db = pool.manager(schema);
            db.ensureSchema();
            db.execute("CREATE TABLE {{tables.products}} (id bigint PRIMARY KEY, sku text, qty int)");
            db.execute(
                    "INSERT INTO {{tables.products}} SELECT g, $1 || g, g * 10 FROM generate_series(1, 5) g",
                    schema + "-");
        }
    }

    @Test
    void returnsTheQuerysTableRecordsFromTheManagersSchema(SharedPool pool) {
        // tag::prepared-select[]
        DatabaseManager eu = pool.manager("shop_eu").forModule(SHOP);
        // Rendered once, for schema shop_eu. 0L marks the bind value's place and type.
        PreparedSelect<ProductRecord> euById = eu.prepare(eu.dsl().selectFrom(P).where(P.id.eq(0L)));
        Optional<ProductRecord> found = euById.fetchOne(3L); // a ProductRecord, as selectFrom(P) gives
        // end::prepared-select[]
        DatabaseManager us = pool.manager("shop_us").forModule(SHOP);
        PreparedSelect<ProductRecord> usById = us.prepare(us.dsl().selectFrom(P).where(P.id.eq(0L)));

        assertThat(euById.sql()).contains("\"shop_eu\".\"products\"").doesNotContain("\"shop\".");
        assertThat(euById.parameterCount()).isEqualTo(1);
        ProductRecord three = found.orElseThrow();
        assertThat(three).isInstanceOf(ProductRecord.class);
        assertThat(three.get(P.sku)).isEqualTo(new Sku("shop_eu-3")); // converter applied on read
        assertThat(three.get(P.qty)).isEqualTo(30);
        assertThat(usById.fetchOne(3L).orElseThrow().get(P.sku)).isEqualTo(new Sku("shop_us-3"));
        assertThat(euById.fetchOne(42L)).isEmpty();
        // the same object runs again with other values: nothing of the first call stays bound
        assertThat(euById.fetchOne(4L).orElseThrow().get(P.id)).isEqualTo(4L);
    }

    @Test
    void fieldSelectionsGiveRecordNAndMapIntoClasses(SharedPool pool) {
        DatabaseManager eu = pool.manager("shop_eu").forModule(SHOP);
        PreparedSelect<Record2<Long, Integer>> stock = eu.prepare(eu.dsl()
                .select(P.id, P.qty)
                .from(P)
                .where(P.qty.ge(0))
                .orderBy(P.id)
                .limit(0));
        assertThat(stock.parameterCount()).isEqualTo(2); // qty >= ?, limit ?
        List<Record2<Long, Integer>> rows = stock.fetchAll(25, 2);
        assertThat(rows).extracting(Record2::value1).containsExactly(3L, 4L);

        record Stock(long id, int qty) {}
        assertThat(stock.fetchAll(Stock.class, 0, 10)).hasSize(5).first().isEqualTo(new Stock(1, 10));
        assertThat(stock.fetchOne(Stock.class, 45, 1)).contains(new Stock(5, 50));

        PreparedSelect<Record1<Integer>> total = eu.prepare(
                eu.dsl().select(DSL.sum(P.qty).cast(Integer.class)).from(P).limit(inline(1)));
        assertThat(total.parameterCount()).isZero();
        assertThat(total.fetchOne().orElseThrow().value1()).isEqualTo(150);
    }

    @Test
    void argumentsGoThroughTheFieldsConverters(SharedPool pool) {
        DatabaseManager us = pool.manager("shop_us").forModule(SHOP);
        PreparedSelect<ProductRecord> bySku = us.prepare(us.dsl().selectFrom(P).where(P.sku.eq(new Sku(""))));
        assertThat(bySku.fetchOne(new Sku("shop_us-2")).orElseThrow().get(P.id)).isEqualTo(2L);
        // the database type is accepted as well
        assertThat(bySku.fetchOne("shop_us-5").orElseThrow().get(P.id)).isEqualTo(5L);
        // an inline value is part of the SQL, not an argument: the converters still line up
        PreparedSelect<ProductRecord> firstBySku =
                us.prepare(us.dsl().selectFrom(P).where(P.sku.eq(new Sku(""))).limit(inline(1)));
        assertThat(firstBySku.fetchOne(new Sku("shop_us-3")).orElseThrow().get(P.id))
                .isEqualTo(3L);
    }

    @Test
    void plainJooqNamesOfTheCanonicalSchemaAreMappedToo(SharedPool pool) {
        DatabaseManager eu = pool.manager("shop_eu").forModule(SHOP);
        Table<Record> products = table(name("shop", "products"));
        Field<String> sku = field(name("shop", "products", "sku"), String.class);
        Field<Long> id = field(name("shop", "products", "id"), Long.class);
        PreparedSelect<Record> byId = eu.prepare(eu.dsl().selectFrom(products).where(id.eq(0L)));
        assertThat(byId.fetchOne(1L).orElseThrow().get(sku)).isEqualTo("shop_eu-1");
    }

    @Test
    void aWrongNumberOfArgumentsFailsBeforeAnythingIsSent(SharedPool pool) {
        DatabaseManager eu = pool.manager("shop_eu").forModule(SHOP);
        PreparedSelect<ProductRecord> byId = eu.prepare(eu.dsl().selectFrom(P).where(P.id.eq(0L)));
        assertThatThrownBy(() -> byId.fetchOne(1L, 2L))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("expects 1 argument but 2 were given")
                .satisfies(e ->
                        assertThat(((QueryException) e).sql().orElseThrow()).contains("\"shop_eu\".\"products\""));
        assertThatThrownBy(() -> byId.fetchAll())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("expects 1 argument but 0 were given");
        assertThatThrownBy(() -> eu.prepare((org.jooq.Select<Record>) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("query must not be null");
    }

    @Test
    void aFailingExecutionIsAQueryExceptionWithTheSql(SharedPool pool) {
        DatabaseManager eu = pool.manager("shop_eu").forModule(SHOP);
        PreparedSelect<ProductRecord> byId = eu.prepare(eu.dsl().selectFrom(P).where(P.id.eq(0L)));
        assertThatThrownBy(() -> byId.fetchOne("not a number"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("\"shop_eu\".\"products\"");
        // the manager is fine afterwards
        assertThat(byId.fetchOne(1L)).isPresent();
        assertThat(pool.stats().active()).isZero();
    }

    @Test
    void onATransactionItSeesTheTransactionsWork(SharedPool pool) {
        DatabaseManager eu = pool.manager("shop_eu").forModule(SHOP);
        eu.transaction(tx -> {
            tx.execute("INSERT INTO {{tables.products}} VALUES (99, 'temp', 1)");
            PreparedSelect<ProductRecord> byId =
                    tx.prepare(tx.dsl().selectFrom(P).where(P.id.eq(0L)));
            assertThat(byId.fetchOne(99L)).isPresent();
            tx.execute("DELETE FROM {{tables.products}} WHERE id = 99");
        });
        assertThat(eu.fetchValue(Long.class, "SELECT count(*) FROM {{tables.products}}"))
                .isEqualTo(5L);
    }

    @Test
    void aMonitorSeesPreparedSelectsAsDslStatements(SharedPool pool) {
        QueryMonitor monitor = QueryMonitor.builder().build();
        DatabaseManager eu = pool.manager("shop_eu").forModule(SHOP).withMonitor(monitor);
        PreparedSelect<ProductRecord> byId = eu.prepare(eu.dsl().selectFrom(P).where(P.id.eq(0L)));
        byId.fetchOne(1L);
        byId.fetchAll(2L);
        assertThat(monitor.history()).hasSize(2);
        assertThat(monitor.history().getFirst().source()).isEqualTo(QueryEvent.Source.DSL);
        assertThat(monitor.history().getFirst().sql()).isEqualTo(byId.sql());
    }

    @Test
    void generatedEnumsAreBoundByTheirDatabaseLabel(SharedPool pool) {
        DatabaseManager eu = pool.manager("shop_eu");
        eu.execute("CREATE TYPE {{schema}}.mood AS ENUM ('very happy', 'sad')");
        assertThat(eu.fetchValue(String.class, "SELECT ($1::{{schema}}.mood)::text", Mood.VERY_HAPPY))
                .isEqualTo("very happy");
    }

    @Test
    void aUnionOfTableSelectsGivesTheTablesRecords(SharedPool pool) {
        DatabaseManager eu = pool.manager("shop_eu").forModule(SHOP);
        PreparedSelect<ProductRecord> either = eu.prepare(eu.dsl()
                .selectFrom(P)
                .where(P.id.eq(0L))
                .union(eu.dsl().selectFrom(P).where(P.id.eq(0L))));
        assertThat(either.parameterCount()).isEqualTo(2);
        assertThat(either.fetchAll(Product.class, 1L, 2L))
                .extracting(Product::id)
                .containsExactlyInAnyOrder(1L, 2L);
        assertThat(either.fetchAll(1L, 2L)).allSatisfy(row -> assertThat(row).isInstanceOf(ProductRecord.class));
    }

    record Product(long id, Sku sku, int qty) {}

    /** The same table seen without converters: plain scalar columns, read directly from the result set. */
    static final class PlainProducts extends TableImpl<PlainRecord> {
        private static final long serialVersionUID = 1L;
        static final PlainProducts PLAIN = new PlainProducts();

        final TableField<PlainRecord, Long> id = createField(name("id"), SQLDataType.BIGINT.nullable(false));
        final TableField<PlainRecord, String> sku = createField(name("sku"), SQLDataType.CLOB);
        final TableField<PlainRecord, Integer> qty = createField(name("qty"), SQLDataType.INTEGER);

        PlainProducts() {
            super(name("products"), Products.SCHEMA);
        }

        @Override
        public Class<PlainRecord> getRecordType() {
            return PlainRecord.class;
        }
    }

    public static final class PlainRecord extends TableRecordImpl<PlainRecord> {
        private static final long serialVersionUID = 1L;

        public PlainRecord() {
            super(PlainProducts.PLAIN);
        }
    }

    /** The same table with its primary key: records that store() themselves. */
    static final class KeyedProducts extends TableImpl<KeyedRecord> {
        private static final long serialVersionUID = 1L;
        static final KeyedProducts KEYED = new KeyedProducts();

        final TableField<KeyedRecord, Long> id = createField(name("id"), SQLDataType.BIGINT.nullable(false));
        final TableField<KeyedRecord, String> sku = createField(name("sku"), SQLDataType.CLOB);
        final TableField<KeyedRecord, Integer> qty = createField(name("qty"), SQLDataType.INTEGER);

        KeyedProducts() {
            super(name("products"), Products.SCHEMA);
        }

        @Override
        public Class<KeyedRecord> getRecordType() {
            return KeyedRecord.class;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public org.jooq.UniqueKey<KeyedRecord> getPrimaryKey() {
            return org.jooq.impl.Internal.createUniqueKey(this, name("products_pkey"), new TableField[] {id}, true);
        }
    }

    public static final class KeyedRecord extends org.jooq.impl.UpdatableRecordImpl<KeyedRecord> {
        private static final long serialVersionUID = 1L;

        public KeyedRecord() {
            super(KeyedProducts.KEYED);
        }
    }

    @Test
    void preparedRecordsStoreAsUpdatesLikeFetchedOnes(SharedPool pool) {
        DatabaseManager eu = pool.manager("shop_eu").forModule(SHOP);
        KeyedProducts keyed = KeyedProducts.KEYED;
        PreparedSelect<KeyedRecord> byId = eu.prepare(eu.dsl().selectFrom(keyed).where(keyed.id.eq(0L)));
        KeyedRecord one = byId.fetchOne(1L).orElseThrow();
        one.set(keyed.qty, 11);
        assertThat(one.store()).isEqualTo(1); // an UPDATE of row 1, not an INSERT of a copy
        assertThat(eu.fetchValue(Integer.class, "SELECT qty FROM {{tables.products}} WHERE id = 1"))
                .isEqualTo(11);
        assertThat(eu.fetchValue(Long.class, "SELECT count(*) FROM {{tables.products}}"))
                .isEqualTo(5L);
        one.refresh();
        one.set(keyed.qty, 10);
        one.store();
        assertThat(eu.fetchValue(Integer.class, "SELECT qty FROM {{tables.products}} WHERE id = 1"))
                .isEqualTo(10);
    }

    @Test
    void scalarColumnsAreReadStraightIntoTableRecordsAsJooqReadsThem(SharedPool pool) {
        DatabaseManager eu = pool.manager("shop_eu").forModule(SHOP);
        PlainProducts plain = PlainProducts.PLAIN;
        PreparedSelect<PlainRecord> byId = eu.prepare(eu.dsl().selectFrom(plain).where(plain.id.le(0L)));
        Result<PlainRecord> prepared = byId.fetchAll(3L);
        Result<PlainRecord> jooq = eu.dsl()
                .selectFrom(plain)
                .where(plain.id.le(3L))
                .orderBy(plain.id)
                .fetch();
        assertThat(prepared).hasSize(3).allSatisfy(row -> {
            assertThat(row).isInstanceOf(PlainRecord.class);
            assertThat(row.touched()).isFalse();
        });
        prepared.sort(java.util.Comparator.comparing(row -> row.get(plain.id)));
        assertThat(prepared).isEqualTo(jooq);
        PlainRecord one = byId.fetchOne(1L).orElseThrow();
        assertThat(one.get(plain.sku)).isEqualTo("shop_eu-1");
        assertThat(one.touched()).isFalse();
        // a record read this way tracks changes like one jOOQ fetched
        one.set(plain.qty, 11);
        assertThat(one.touched(plain.qty)).isTrue();
        assertThat(one.touched(plain.id)).isFalse();
        // field selections of plain columns come back as RecordN, read the same way
        PreparedSelect<Record2<Long, Integer>> pairs =
                eu.prepare(eu.dsl().select(plain.id, plain.qty).from(plain).where(plain.id.eq(0L)));
        assertThat(pairs.fetchOne(2L).orElseThrow().value2()).isEqualTo(20);
    }
}
