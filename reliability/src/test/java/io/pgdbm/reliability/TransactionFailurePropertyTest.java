package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.DatabaseOperations;
import io.pgdbm.QueryException;
import io.pgdbm.SharedPool;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;
import org.jooq.impl.DSL;

/**
 * Transactions nested to a random depth, a random failure thrown at a random level and caught at a random
 * level above it (or not at all). The rows that survive are exactly those of the levels that completed
 * normally and were not undone by a failure propagating through them, and the caller sees exactly the
 * failure that was thrown. Failures include checked exceptions thrown sneakily (as Kotlin, Groovy, Scala
 * and Lombok throw them), errors, a Throwable of the caller's own, a failing statement, and a failing
 * statement whose work swallows the error and returns.
 */
class TransactionFailurePropertyTest {
    private static TestDatabase database;
    private static SharedPool pool;
    private static DatabaseManager db;
    private static final AtomicInteger cases = new AtomicInteger();
    private static final AtomicInteger throughJooq = new AtomicInteger();

    enum Failure {
        RUNTIME,
        ERROR,
        CHECKED_SNEAKY,
        SQL_EXCEPTION_SNEAKY,
        CUSTOM_THROWABLE,
        FAILING_STATEMENT,
        SWALLOWED_STATEMENT
    }

    /** A Throwable that is neither an Exception nor an Error. */
    static final class OddThrowable extends Throwable {
        private static final long serialVersionUID = 1L;

        OddThrowable() {
            super("odd");
        }
    }

    record Plan(int depth, int throwAt, int catchAt, Failure failure, List<Boolean> viaJooq) {}

    @BeforeContainer
    static void open() {
        database = TestDatabaseFactory.shared().create();
        pool = database.pool();
        db = pool.manager("tx_props");
        db.ensureSchema();
        db.execute("CREATE TABLE {{tables.rows}} (level int PRIMARY KEY)");
    }

    @AfterContainer
    static void close() {
        org.slf4j.LoggerFactory.getLogger(TransactionFailurePropertyTest.class)
                .info("Transaction failures: {} cases ({} with jOOQ nesting)", cases.get(), throughJooq.get());
        if (database != null) {
            database.close();
        }
    }

    @BeforeTry
    void empty() {
        db.execute("TRUNCATE {{tables.rows}}");
    }

    @Provide
    Arbitrary<Plan> plans() {
        return Arbitraries.integers()
                .between(1, 5)
                .flatMap(depth -> Combinators.combine(
                                Arbitraries.integers().between(0, depth - 1),
                                Arbitraries.integers().between(-1, depth - 1),
                                Arbitraries.of(Failure.class),
                                Arbitraries.of(true, false).list().ofSize(depth))
                        .as((throwAt, catchAt, failure, viaJooq) ->
                                new Plan(depth, throwAt, Math.min(catchAt, throwAt - 1), failure, viaJooq)));
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable failure) throws E {
        throw (E) failure;
    }

    private static Throwable failureOf(Failure kind) {
        return switch (kind) {
            case RUNTIME -> new IllegalStateException("runtime");
            case ERROR -> new AssertionError("error");
            case CHECKED_SNEAKY -> new IOException("checked");
            case SQL_EXCEPTION_SNEAKY -> new SQLException("sql", "XX000");
            case CUSTOM_THROWABLE -> new OddThrowable();
            case FAILING_STATEMENT, SWALLOWED_STATEMENT -> null;
        };
    }

    /** The work of one level: insert its row, then fail, nest, or return. */
    private static void level(DatabaseOperations tx, Plan plan, int level, Throwable planned, List<Throwable> caught) {
        tx.execute("INSERT INTO {{tables.rows}} VALUES ($1)", level);
        if (level == plan.throwAt()) {
            switch (plan.failure()) {
                case FAILING_STATEMENT -> tx.execute("INSERT INTO {{tables.rows}} VALUES ($1)", level);
                case SWALLOWED_STATEMENT -> {
                    try {
                        tx.execute("INSERT INTO {{tables.rows}} VALUES ($1)", level);
                    } catch (QueryException duplicate) {
                        // the work carries on as if nothing happened: pgdbm must not keep it
                    }
                }
                default -> throw sneaky(planned);
            }
            return;
        }
        if (level + 1 < plan.depth()) {
            try {
                nest(tx, plan, level + 1, planned, caught);
            } catch (Throwable failure) {
                if (level != plan.catchAt()) {
                    throw sneaky(failure);
                }
                caught.add(failure);
            }
        }
    }

    private static void nest(DatabaseOperations tx, Plan plan, int level, Throwable planned, List<Throwable> caught) {
        if (plan.viaJooq().get(level)) {
            throughJooq.incrementAndGet();
            tx.dsl().transaction(configuration -> level(tx, plan, level, planned, caught));
        } else {
            tx.transaction(inner -> level(inner, plan, level, planned, caught));
        }
    }

    @Property(tries = 400)
    void onlyWorkThatCompletedNormallyIsKept(@ForAll("plans") Plan plan) {
        cases.incrementAndGet();
        Throwable planned = failureOf(plan.failure());
        List<Throwable> caught = new ArrayList<>();
        Throwable escaped = null;
        try {
            db.transaction(tx -> level(tx, plan, 0, planned, caught));
        } catch (Throwable failure) {
            escaped = failure;
        }

        boolean handled = plan.catchAt() >= 0;
        List<Integer> expected = new ArrayList<>();
        if (handled) {
            for (int level = 0; level <= plan.catchAt(); level++) {
                expected.add(level);
            }
        }
        List<Integer> kept = db.fetchAll(Integer.class, "SELECT level FROM {{tables.rows}} ORDER BY level");
        assertThat(kept).as("rows kept for %s", plan).isEqualTo(expected);

        Throwable seen = handled ? (caught.isEmpty() ? null : caught.get(0)) : escaped;
        assertThat(handled ? escaped : caught.isEmpty() ? null : caught.get(0))
                .as("nothing else escapes for %s", plan)
                .isNull();
        assertThat(seen).as("the failure reaches its handler for %s", plan).isNotNull();
        if (planned != null) {
            assertThat(seen == planned || seen.getCause() == planned)
                    .as("the failure itself (or jOOQ's wrapper of a checked one) for %s, got %s", plan, seen)
                    .isTrue();
        } else {
            assertThat(seen).as("a failed statement for %s", plan).isInstanceOf(QueryException.class);
        }
        assertThat(pool.stats().active()).as("no connection kept").isZero();
    }

    @Property(tries = 100)
    void workThatReturnsNormallyIsKeptWholeAtAnyDepth(@ForAll("plans") Plan plan) {
        cases.incrementAndGet();
        db.transaction(tx -> completeNesting(tx, plan, 0));
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.rows}}"))
                .isEqualTo(plan.depth());
    }

    private static void completeNesting(DatabaseOperations tx, Plan plan, int level) {
        tx.execute("INSERT INTO {{tables.rows}} VALUES ($1)", level);
        if (level + 1 < plan.depth()) {
            if (plan.viaJooq().get(level + 1)) {
                tx.dsl().transaction(configuration -> completeNesting(tx, plan, level + 1));
            } else {
                tx.transaction(inner -> completeNesting(inner, plan, level + 1));
            }
        }
        assertThat(DSL.using(tx.dsl().configuration()).fetchValue("SELECT 1")).isEqualTo(1);
    }
}
