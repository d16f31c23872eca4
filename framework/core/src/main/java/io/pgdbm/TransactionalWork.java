package io.pgdbm;

/** Work done inside a transaction; see {@link DatabaseOperations#transaction(TransactionalWork)}. */
@FunctionalInterface
public interface TransactionalWork {
    void run(Transaction tx);
}
