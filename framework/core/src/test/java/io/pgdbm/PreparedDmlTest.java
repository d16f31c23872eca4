package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.PreparedSelectTest.Products;
import io.pgdbm.PreparedSelectTest.Sku;
import io.pgdbm.monitoring.QueryEvent;
import io.pgdbm.monitoring.QueryMonitor;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code prepare(Query)}: a jOOQ insert, update or delete rendered once, run with new bind values. */
@ExtendWith(PostgresExtension.class)
class PreparedDmlTest {
    /** Through PreparedSelectTest, whose initialisation the table's converter needs first. */
    static final Products P = PreparedSelectTest.P;

    @BeforeAll
    static void tables(SharedPool pool) {
        for (String schema : new String[] {"dml_eu", "dml_us"}) {
            DatabaseManager db = pool.manager(schema);
            db.ensureSchema();
            db.execute("CREATE TABLE {{tables.products}} (id bigint PRIMARY KEY, sku text, qty int)");
        }
    }

    private static DatabaseManager shop(SharedPool pool, String schema) {
        DatabaseManager db = pool.manager(schema).forModule(PreparedSelectTest.SHOP);
        db.execute("TRUNCATE {{tables.products}}");
        return db;
    }

    @Test
    void insertsUpdatesAndDeletesInTheManagersSchema(SharedPool pool) {
        DatabaseManager eu = shop(pool, "dml_eu");
        DatabaseManager us = shop(pool, "dml_us");
        // tag::prepared-dml[]
        // Rendered once, for schema dml_eu; the values only mark each bind value's place and type.
        PreparedQuery insert = eu.prepare(eu.dsl().insertInto(P, P.id, P.qty).values(0L, 0));
        insert.execute(1L, 10); // 1 row inserted
        PreparedQuery restock = eu.prepare(eu.dsl().update(P).set(P.qty, 0).where(P.id.eq(0L)));
        restock.execute(25, 1L); // qty 25 for id 1
        // end::prepared-dml[]
        PreparedQuery usInsert =
                us.prepare(us.dsl().insertInto(P, P.id, P.sku, P.qty).values(0L, new Sku(""), 0));
        PreparedQuery withSku =
                eu.prepare(eu.dsl().insertInto(P, P.id, P.sku, P.qty).values(0L, new Sku(""), 0));

        assertThat(insert.sql()).contains("\"dml_eu\".\"products\"").doesNotContain("\"shop\".");
        assertThat(withSku.execute(2L, new Sku("eu-2"), 20)).isEqualTo(1);
        assertThat(usInsert.execute(1L, "us-1", 5)).isEqualTo(1); // the database type is accepted too
        assertThat(eu.fetchValue(Integer.class, "SELECT qty FROM {{tables.products}} WHERE id = 1"))
                .isEqualTo(25);
        assertThat(eu.fetchValue(String.class, "SELECT sku FROM {{tables.products}} WHERE id = 2"))
                .isEqualTo("eu-2"); // the converter turned Sku into text
        assertThat(us.fetchValue(Long.class, "SELECT count(*) FROM {{tables.products}}"))
                .isEqualTo(1L);

        PreparedQuery delete = eu.prepare(eu.dsl().deleteFrom(P).where(P.qty.lt(0)));
        assertThat(delete.execute(21)).isEqualTo(1); // qty 20 < 21; qty 25 stays
        assertThat(delete.execute(21)).isZero();
        assertThat(eu.fetchValue(Long.class, "SELECT count(*) FROM {{tables.products}}"))
                .isEqualTo(1L);
    }

    @Test
    void returningGivesTheRowsBack(SharedPool pool) {
        DatabaseManager eu = shop(pool, "dml_eu");
        PreparedQuery insert = eu.prepare(eu.dsl()
                .insertInto(P, P.id, P.sku, P.qty)
                .values(0L, new Sku(""), 0)
                .returning(P.id, P.qty));
        Record row = insert.fetchOne(7L, new Sku("eu-7"), 70).orElseThrow();
        assertThat(row.get("id", Long.class)).isEqualTo(7L);
        assertThat(row.get("qty", Integer.class)).isEqualTo(70);

        PreparedQuery take = eu.prepare(
                eu.dsl().update(P).set(P.qty, P.qty.minus(0)).where(P.id.eq(0L)).returning(P.qty));
        assertThat(take.fetchValue(Integer.class, 5, 7L)).isEqualTo(65);
        assertThat(take.fetchOne(5, 999L)).isEmpty();
        assertThat(take.fetchAll(1, 7L)).hasSize(1);
    }

    @Test
    void onATransactionItRollsBackWithIt(SharedPool pool) {
        DatabaseManager eu = shop(pool, "dml_eu");
        assertThatThrownBy(() -> eu.transaction(tx -> {
                    PreparedQuery insert =
                            tx.prepare(tx.dsl().insertInto(P, P.id, P.qty).values(0L, 0));
                    insert.execute(1L, 1);
                    insert.execute(2L, 2);
                    assertThat(tx.fetchValue(Long.class, "SELECT count(*) FROM {{tables.products}}"))
                            .isEqualTo(2L);
                    throw new IllegalStateException("undo");
                }))
                .hasMessage("undo");
        assertThat(eu.fetchValue(Long.class, "SELECT count(*) FROM {{tables.products}}"))
                .isZero();
    }

    @Test
    void badArgumentsFailClearlyAndLeaveNothingBehind(SharedPool pool) {
        DatabaseManager eu = shop(pool, "dml_eu");
        PreparedQuery insert = eu.prepare(eu.dsl().insertInto(P, P.id, P.qty).values(0L, 0));
        assertThatThrownBy(() -> insert.execute(1L))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("expects 2 arguments but 1 was given");
        assertThatThrownBy(() -> insert.execute("not a number", 1))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("\"dml_eu\".\"products\"");
        insert.execute(1L, 1);
        assertThatThrownBy(() -> insert.execute(1L, 2))
                .isInstanceOf(QueryException.class)
                .satisfies(e -> assertThat(((QueryException) e).sqlState()).contains("23505"));
        assertThat(eu.fetchValue(Long.class, "SELECT count(*) FROM {{tables.products}}"))
                .isEqualTo(1L);
        assertThat(pool.stats().active()).isZero();
        assertThatThrownBy(() -> eu.prepare((org.jooq.Query) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("query must not be null");
    }

    @Test
    void aMonitorSeesThemAsDslStatements(SharedPool pool) {
        QueryMonitor monitor = QueryMonitor.builder().build();
        DatabaseManager eu = shop(pool, "dml_eu").withMonitor(monitor);
        PreparedQuery insert = eu.prepare(eu.dsl().insertInto(P, P.id, P.qty).values(0L, 0));
        insert.execute(3L, 3);
        assertThat(monitor.history()).hasSize(1);
        assertThat(monitor.history().getFirst().source()).isEqualTo(QueryEvent.Source.DSL);
        assertThat(monitor.history().getFirst().sql()).isEqualTo(insert.sql());
    }

    @Test
    void theSqlIsWhatJooqRendersForTheManager(SharedPool pool) {
        DatabaseManager eu = shop(pool, "dml_eu");
        org.jooq.Query query = eu.dsl()
                .update(P)
                .set(P.sku, new Sku(""))
                .where(P.id.in(0L, 0L).and(P.qty.isNotNull()))
                .or(P.sku.eq(DSL.inline(new Sku("fixed"))));
        PreparedQuery prepared = eu.prepare(query);
        assertThat(prepared.sql()).isEqualTo(eu.dsl().render(query));
        assertThat(eu.dsl().extractBindValues(query)).hasSize(3);
        eu.execute("INSERT INTO {{tables.products}} VALUES (1, 'a', 1), (2, 'fixed', NULL), (3, 'c', NULL)");
        assertThat(prepared.execute(new Sku("z"), 1L, 3L)).isEqualTo(2); // id 1 (qty set) and the 'fixed' row
        assertThat(eu.fetchAll("SELECT sku FROM {{tables.products}} ORDER BY id")
                        .getValues(0, String.class))
                .containsExactly("z", "z", "c");
    }
}
