package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** A checked exception of the work's own is declared by transaction(...): catchable by type, rolled back. */
    @Test
    void theWorksOwnCheckedExceptionIsDeclaredAndRollsBack() {
        java.io.IOException failure = new java.io.IOException("disk full");
        try {
            db.transaction(tx -> {
                tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "a");
                tx.transaction(inner -> inner.execute("INSERT INTO {{tables.items}} VALUES ($1)", "b"));
                if (count() >= 0) {
                    throw failure;
                }
            });
            org.junit.jupiter.api.Assertions.fail("the IOException should have reached the caller");
        } catch (java.io.IOException e) {
            assertThat(e).isSameAs(failure);
        }
        assertThat(count()).isZero();

        long kept;
        try {
            kept = db.transactionResult(tx -> {
                tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "c");
                if (tx.fetchValue(Long.class, "SELECT count(*) FROM {{tables.items}}") > 5) {
                    throw new java.util.concurrent.TimeoutException("too many");
                }
                return tx.fetchValue(Long.class, "SELECT count(*) FROM {{tables.items}}");
            });
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
        assertThat(kept).isEqualTo(1);
        // work that throws nothing checked needs no try: X is RuntimeException
        db.transaction(tx -> tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "d"));
        assertThat(count()).isEqualTo(2);
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

    /** What Kotlin, Groovy, Scala or Lombok's @SneakyThrows do: a checked exception through an interface. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneakyThrow(Throwable failure) throws E {
        throw (E) failure;
    }

    @Test
    void aCheckedExceptionThrownSneakilyRollsBackAndReachesTheCallerUnchanged() {
        IOException checked = new IOException("thrown as Kotlin would");
        Throwable thrown = catchThrowable(() -> db.transaction(tx -> {
            tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "half-done");
            throw sneakyThrow(checked);
        }));
        assertThat(thrown).isSameAs(checked);
        assertThat(count()).isZero();
    }

    @Test
    void aCheckedExceptionInASavepointRollsBackOnlyTheSavepoint() {
        IOException checked = new IOException("inner");
        db.transaction(tx -> {
            tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "outer");
            Throwable thrown = catchThrowable(() -> tx.transaction(inner -> {
                inner.execute("INSERT INTO {{tables.items}} VALUES ($1)", "inner");
                throw sneakyThrow(checked);
            }));
            assertThat(thrown).isSameAs(checked);
        });
        assertThat(db.fetchAll("SELECT name FROM {{tables.items}}").getValues("name", String.class))
                .containsExactly("outer");
    }

    @Test
    void anErrorRollsBack() {
        StackOverflowError error = new StackOverflowError("deep");
        assertThatThrownBy(() -> db.transaction(tx -> {
                    tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "a");
                    throw error;
                }))
                .isSameAs(error);
        assertThat(count()).isZero();
    }

    @Test
    void workThatSwallowsAFailedStatementIsNotReportedAsCommitted() {
        assertThatThrownBy(() -> db.transaction(tx -> {
                    tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "a");
                    try {
                        tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "a");
                    } catch (QueryException duplicate) {
                        // carries on as if nothing happened
                    }
                }))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("rolled back, not committed")
                .satisfies(e -> assertThat(((QueryException) e).sqlState()).contains("25P02"));
        assertThat(count()).isZero();
    }

    @Test
    void aSavepointWhoseWorkSwallowedAFailureIsRolledBackAndSaysSo() {
        db.transaction(tx -> {
            tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "kept");
            assertThatThrownBy(() -> tx.transaction(inner -> {
                        try {
                            inner.execute("INSERT INTO {{tables.items}} VALUES ($1)", "kept");
                        } catch (QueryException duplicate) {
                            // swallowed
                        }
                    }))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("savepoint was rolled back");
        });
        assertThat(db.fetchAll("SELECT name FROM {{tables.items}}").getValues("name", String.class))
                .containsExactly("kept");
    }

    @Test
    void aFailedCommitIsReportedAsSuchAndKeepsNothing() {
        db.execute("CREATE TABLE IF NOT EXISTS {{tables.deferred}} (name text UNIQUE DEFERRABLE INITIALLY DEFERRED)");
        db.execute("TRUNCATE {{tables.deferred}}");
        assertThatThrownBy(() -> db.transaction(tx -> {
                    tx.execute("INSERT INTO {{tables.deferred}} VALUES ($1)", "same");
                    tx.execute("INSERT INTO {{tables.deferred}} VALUES ($1)", "same");
                }))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("COMMIT failed")
                .satisfies(e -> assertThat(((QueryException) e).sqlState()).contains("23505"));
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.deferred}}"))
                .isZero();
    }

    @Test
    void statementsThatWouldEndTheTransactionAreRefusedBeforeTheyAreSent() {
        for (String sql : List.of("COMMIT", "ROLLBACK", "BEGIN", "END", "START TRANSACTION", "commit; select 1")) {
            assertThatThrownBy(() -> db.transaction(tx -> {
                        tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "before " + sql);
                        tx.execute(sql);
                    }))
                    .as(sql)
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("cannot run inside transaction");
        }
        assertThat(count()).isZero();
        // a savepoint the user names by hand stays possible
        db.transaction(tx -> {
            tx.execute("SAVEPOINT mine");
            tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "undone");
            tx.execute("ROLLBACK TO SAVEPOINT mine");
        });
        assertThat(count()).isZero();
    }

    @Test
    void jooqTransactionsInsideATransactionAreSavepointsNotCommits() {
        assertThatThrownBy(() -> db.transaction(tx -> {
                    tx.dsl()
                            .transaction(inner -> DSL.using(inner)
                                    .insertInto(DSL.table(DSL.name("tx", "items")), DSL.field(DSL.name("name")))
                                    .values("nested-jooq")
                                    .execute());
                    throw new IllegalStateException("outer fails after jOOQ's transaction returned");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(count()).isZero();
    }

    @Test
    void aJooqTransactionThatSwallowedAFailureIsNotReportedAsCommitted() {
        assertThatThrownBy(() -> db.dsl().transaction(configuration -> {
                    var dsl = DSL.using(configuration);
                    var items = DSL.table(DSL.name("tx", "items"));
                    var name = DSL.field(DSL.name("name"), String.class);
                    dsl.insertInto(items, name).values("a").execute();
                    try {
                        dsl.insertInto(items, name).values("a").execute();
                    } catch (org.jooq.exception.DataAccessException duplicate) {
                        // swallowed
                    }
                }))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("rolled back, not committed");
        assertThat(count()).isZero();
    }

    @Test
    void aRollbackThatFailsIsAttachedToTheOriginalFailureAndTheConnectionIsNotReused() {
        IllegalStateException failure = new IllegalStateException("the work's own failure");
        AtomicInteger dead = new AtomicInteger();
        Throwable thrown = catchThrowable(() -> db.transaction(tx -> {
            tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "lost");
            dead.set(tx.fetchValue(Integer.class, "SELECT pg_backend_pid()"));
            // another pooled connection ends this transaction's session; then the work fails on its own
            assertThat(db.fetchValue(Boolean.class, "SELECT pg_terminate_backend($1, 5000)", dead.get()))
                    .isTrue();
            throw failure;
        }));
        assertThat(thrown).isSameAs(failure);
        assertThat(thrown.getSuppressed()).isNotEmpty();
        assertThat(count()).isZero();
        for (int i = 0; i < 8; i++) {
            assertThat(db.fetchValue(Integer.class, "SELECT pg_backend_pid()")).isNotEqualTo(dead.get());
        }
    }

    @Test
    void theTransactionsRawConnectionCannotCommitOrEndItEarly() {
        IllegalStateException failure = new IllegalStateException("fails after trying to commit by hand");
        for (String call : List.of("commit", "rollback", "autocommit", "close")) {
            Throwable thrown = catchThrowable(() -> db.transaction(tx -> {
                tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "half " + call);
                java.sql.Connection connection = tx.connection();
                assertThatThrownBy(() -> {
                            switch (call) {
                                case "commit" -> connection.commit();
                                case "rollback" -> connection.rollback();
                                case "autocommit" -> connection.setAutoCommit(true);
                                default -> connection.close();
                            }
                        })
                        .isInstanceOf(java.sql.SQLException.class)
                        .hasMessageContaining("belongs to a pgdbm transaction");
                throw failure;
            }));
            assertThat(thrown).isSameAs(failure);
        }
        assertThat(count()).isZero();
        // savepoints by hand stay possible
        db.transaction(tx -> {
            try {
                java.sql.Savepoint savepoint = tx.connection().setSavepoint();
                tx.execute("INSERT INTO {{tables.items}} VALUES ($1)", "undone");
                tx.connection().rollback(savepoint);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(count()).isZero();
    }
}
