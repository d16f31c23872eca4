package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class TransactionTest {
    private static DatabaseManager db;

    @BeforeAll
    static void createTable(SharedPool pool) {
        db = pool.manager("tx");
        db.ensureSchema();
        db.execute("CREATE TABLE {{tables.items}} (name text PRIMARY KEY)");
    }

    @BeforeEach
    void clean() {
        db.execute("TRUNCATE {{tables.items}}");
    }

    private static long count() {
        return db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.items}}");
    }

    @Test
    void commitsWhenTheWorkReturns() {
        String result = db.transactionResult(tx -> {
            tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "a");
            tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "b");
            return tx.fetchValue(String.class, "SELECT string_agg(name, ',' ORDER BY name) FROM {{tables.items}}");
        });
        assertThat(result).isEqualTo("a,b");
        assertThat(count()).isEqualTo(2);
    }

    @Test
    void rollbackLeavesNothingAndTheExceptionPropagates() {
        IllegalStateException failure = new IllegalStateException("boom");
        assertThatThrownBy(() -> db.transaction(tx -> {
                    tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "a");
                    tx.copyRecords("items", java.util.List.of("name"), java.util.List.of(java.util.List.of("b")));
                    throw failure;
                }))
                .isSameAs(failure);
        assertThat(count()).isZero();
    }

    @Test
    void aFailedStatementRollsTheTransactionBack() {
        assertThatThrownBy(() -> db.transaction(tx -> {
                    tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "a");
                    tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "a");
                }))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("23505");
        assertThat(count()).isZero();
    }

    @Test
    void aSavepointRollbackKeepsTheOuterWork() {
        db.transaction(tx -> {
            tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "outer");
            assertThatThrownBy(() -> tx.transaction(inner -> {
                        inner.execute("INSERT INTO {{tables.items}} VALUES ($1)", "inner");
                        inner.execute("INSERT INTO {{tables.items}} VALUES ($1)", "outer"); // duplicate
                    }))
                    .isInstanceOf(QueryException.class);
            tx.transaction(inner -> inner.execute("INSERT INTO {{tables.items}} VALUES ($1)", "after"));
        });
        assertThat(db.fetchAll("SELECT name FROM {{tables.items}} ORDER BY name")
                        .getValues("name", String.class))
                .containsExactly("after", "outer");
    }

    @Test
    void anOuterRollbackUndoesReleasedSavepoints() {
        assertThatThrownBy(() -> db.transaction(tx -> {
                    tx.transaction(inner -> inner.execute("INSERT INTO {{tables.items}} VALUES ($1)", "inner"));
                    throw new IllegalArgumentException("outer fails");
                }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(count()).isZero();
    }

    @Test
    void workIsInvisibleToOthersUntilCommit() {
        db.transaction(tx -> {
            tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "pending");
            assertThat(tx.fetchValue(Long.class, "SELECT count(*) FROM {{tables.items}}"))
                    .isEqualTo(1L);
            assertThat(count())
                    .as("another connection does not see uncommitted rows")
                    .isZero();
        });
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void dslInsideATransactionUsesTheTransactionsConnection() {
        assertThatThrownBy(() -> db.transaction(tx -> {
                    tx.dsl()
                            .insertInto(DSL.table(DSL.name("tx", "items")), DSL.field(DSL.name("name")))
                            .values("via-jooq")
                            .execute();
                    assertThat(tx.fetchValue(Long.class, "SELECT count(*) FROM {{tables.items}}"))
                            .isEqualTo(1L);
                    throw new IllegalStateException("roll back");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(count()).isZero();
    }

    @Test
    void aTransactionCannotBeUsedAfterItEnds() {
        AtomicReference<Transaction> escaped = new AtomicReference<>();
        db.transaction(escaped::set);
        assertThatThrownBy(() -> escaped.get().execute("SELECT 1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already committed or rolled back");
    }

    @Test
    void theConnectionGoesBackToThePoolInAutocommitMode(SharedPool pool) {
        db.transaction(tx -> tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "x"));
        assertThatThrownBy(() -> db.transaction(tx -> {
                    throw new IllegalStateException();
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(pool.stats().active()).isZero();
        // A plain statement after both commits on its own (it would be lost if autocommit stayed off).
        db.execute("INSERT INTO {{tables.items}} VALUES ($1)", "y");
        assertThat(count()).isEqualTo(2);
    }
}
