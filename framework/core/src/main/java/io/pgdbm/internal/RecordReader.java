package io.pgdbm.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Optional;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultDataType;
import org.jooq.impl.SQLDataType;
import org.postgresql.core.BaseConnection;
import org.postgresql.jdbc.PgResultSet;

/**
 * Reads a pgJDBC {@link ResultSet} into jOOQ records.
 *
 * <p>jOOQ's own {@code DSLContext.fetch(ResultSet)} asks the metadata for each column's table, which
 * makes pgJDBC query the catalog. Here the fields come from what the result already carries: each
 * column's label and type OID, resolved through pgJDBC's type cache (built-in types never touch the
 * server). Fields are unqualified and named after the column labels.
 */
public final class RecordReader {
    private RecordReader() {}

    public static Result<Record> readAll(DSLContext dsl, Connection connection, ResultSet rs) throws SQLException {
        return dsl.fetch(rs, fields(connection, rs));
    }

    public static Optional<Record> readFirst(DSLContext dsl, Connection connection, ResultSet rs) throws SQLException {
        try (Cursor<Record> cursor = dsl.fetchLazy(rs, fields(connection, rs))) {
            return Optional.ofNullable(cursor.fetchNext());
        }
    }

    static Field<?>[] fields(Connection connection, ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int count = meta.getColumnCount();
        Field<?>[] fields = new Field<?>[count];
        PgResultSet pgResult = rs.isWrapperFor(PgResultSet.class) ? rs.unwrap(PgResultSet.class) : null;
        BaseConnection pgConnection =
                connection.isWrapperFor(BaseConnection.class) ? connection.unwrap(BaseConnection.class) : null;
        for (int i = 1; i <= count; i++) {
            String label = meta.getColumnLabel(i);
            DataType<?> type = SQLDataType.OTHER;
            if (pgResult != null && pgConnection != null) {
                String typeName = pgConnection.getTypeInfo().getPGType(pgResult.getColumnOID(i));
                type = dataType(typeName, meta.getColumnType(i));
            }
            fields[i - 1] = DSL.field(DSL.name(label), type);
        }
        return fields;
    }

    private static DataType<?> dataType(String typeName, int sqlType) {
        if (typeName != null) {
            try {
                return DefaultDataType.getDataType(SQLDialect.POSTGRES, typeName);
            } catch (RuntimeException unknownToJooq) {
                // user-defined types (enums, domains, composites): fall back to the JDBC type below
            }
        }
        try {
            return DefaultDataType.getDataType(SQLDialect.POSTGRES, sqlType);
        } catch (RuntimeException e) {
            return SQLDataType.OTHER;
        }
    }
}
