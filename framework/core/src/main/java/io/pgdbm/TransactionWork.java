package io.pgdbm;

/**
 * Work done inside a transaction; see {@link DatabaseOperations#transaction(TransactionWork)}. It may throw a
 * checked exception of its own ({@code X}): the transaction rolls back and {@code transaction(...)} throws it
 * on, as it was thrown. Named apart from jOOQ's {@code TransactionalRunnable}, which {@code dsl()} users have
 * too.
 *
 * @param <X> the checked exception the work may throw ({@code RuntimeException} when none)
 */
@FunctionalInterface
public interface TransactionWork<X extends Exception> {
    void run(Transaction tx) throws X;
}
