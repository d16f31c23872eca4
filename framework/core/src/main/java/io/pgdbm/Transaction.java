package io.pgdbm;

import java.sql.Connection;

/**
 * The verbs of {@link DatabaseOperations}, run on one connection inside one transaction. Given to the
 * work passed to {@link DatabaseOperations#transaction}; valid only while that work runs, and only on
 * the thread that runs it. {@link #transaction} inside it opens a savepoint.
 */
public interface Transaction extends DatabaseOperations {

    /**
     * The transaction's JDBC connection, for code that needs plain JDBC. Do not commit, roll back or
     * close it: the transaction does that.
     */
    Connection connection();
}
