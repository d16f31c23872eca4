package io.pgdbm.testing;

/** How {@link PgdbmTest} isolates tests from each other. */
public enum Isolation {
    /** A fresh database for every test method (cloned from the migrated template, usually prefetched). */
    PER_METHOD,
    /** One database for the whole test class; tests see each other's data. */
    PER_CLASS,
    /**
     * One database for the class, and every test inside a transaction that is rolled back when it ends:
     * the fastest mode, for tests that neither commit on purpose nor use several connections at once.
     * Managers' {@code transaction(...)} calls become savepoints. A statement that fails outside a nested
     * transaction aborts the test's transaction, so later statements of that test fail too.
     */
    ROLLBACK
}
