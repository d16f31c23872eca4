package io.pgdbm;

import org.jspecify.annotations.Nullable;

/**
 * Work done inside a transaction that returns a result; see {@link
 * DatabaseOperations#transactionResult(TransactionCallback)}. It may throw a checked exception of its own
 * ({@code X}): the transaction rolls back and {@code transactionResult(...)} throws it on, as it was thrown.
 * Named apart from jOOQ's {@code TransactionalCallable}, which {@code dsl()} users have too.
 *
 * @param <T> the result
 * @param <X> the checked exception the work may throw ({@code RuntimeException} when none)
 */
@FunctionalInterface
public interface TransactionCallback<T extends @Nullable Object, X extends Exception> {
    T run(Transaction tx) throws X;
}
