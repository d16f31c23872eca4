package io.pgdbm;

/**
 * Work done inside a transaction that returns a result; see {@link
 * DatabaseOperations#transactionResult(TransactionalCallable)}.
 */
@FunctionalInterface
public interface TransactionalCallable<T> {
    T run(Transaction tx);
}
