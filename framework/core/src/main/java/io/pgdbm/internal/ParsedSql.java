package io.pgdbm.internal;

import io.pgdbm.QueryException;
import java.util.List;

/**
 * A statement ready for pgJDBC: placeholders turned into JDBC {@code ?}, literal JSONB question-mark
 * operators escaped as {@code ??}, and for each JDBC placeholder the index of the caller's argument
 * that fills it ({@code $2 … $1 … $2} becomes {@code ? … ? … ?} with argument order {@code [1, 0, 1]}).
 *
 * @param jdbcSql the SQL handed to {@code Connection.prepareStatement}
 * @param argumentOrder for each JDBC placeholder, the zero-based index of the argument it takes
 * @param argumentCount how many arguments the caller must pass
 */
public record ParsedSql(String jdbcSql, int[] argumentOrder, int argumentCount) {

    /**
     * Checks that {@code given} arguments fit this statement, before anything is sent to the server.
     *
     * @throws QueryException naming the expected and given counts
     */
    public void checkArgumentCount(int given) {
        if (given != argumentCount) {
            throw new QueryException(
                    "statement expects " + plural(argumentCount, "argument") + " but " + given
                            + (given == 1 ? " was" : " were") + " given",
                    null,
                    Masking.truncateSql(jdbcSql),
                    List.of(),
                    null);
        }
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ParsedSql that
                && jdbcSql.equals(that.jdbcSql)
                && argumentCount == that.argumentCount
                && java.util.Arrays.equals(argumentOrder, that.argumentOrder);
    }

    @Override
    public int hashCode() {
        return jdbcSql.hashCode() * 31 + java.util.Arrays.hashCode(argumentOrder);
    }

    @Override
    public String toString() {
        return "ParsedSql[" + jdbcSql + ", order=" + java.util.Arrays.toString(argumentOrder) + "]";
    }
}
