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

    /**
     * The fields of a statement's last result: labels and type OIDs, and the jOOQ fields made from them. A
     * statement usually returns the same columns every time; when they differ (the table changed), the
     * fields are made again.
     */
    public static final class Columns {
        private volatile Shape last;

        private record Shape(String[] labels, int[] oids, Field<?>[] fields) {}

        Field<?>[] fields(Connection connection, ResultSet rs) throws SQLException {
            PgResultSet pgResult = rs.isWrapperFor(PgResultSet.class) ? rs.unwrap(PgResultSet.class) : null;
            if (pgResult == null) {
                return RecordReader.fields(connection, rs);
            }
            ResultSetMetaData meta = rs.getMetaData();
            int count = meta.getColumnCount();
            Shape shape = last;
            if (shape != null && shape.oids.length == count) {
                boolean same = true;
                for (int i = 0; same && i < count; i++) {
                    same = shape.oids[i] == pgResult.getColumnOID(i + 1)
                            && shape.labels[i].equals(meta.getColumnLabel(i + 1));
                }
                if (same) {
                    return shape.fields;
                }
            }
            String[] labels = new String[count];
            int[] oids = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = meta.getColumnLabel(i + 1);
                oids[i] = pgResult.getColumnOID(i + 1);
            }
            Field<?>[] fields = RecordReader.fields(connection, rs);
            last = new Shape(labels, oids, fields);
            return fields;
        }
    }

    public static Result<Record> readAll(DSLContext dsl, Connection connection, ResultSet rs, Columns columns)
            throws SQLException {
        return dsl.fetch(rs, columns.fields(connection, rs));
    }

    public static Optional<Record> readFirst(DSLContext dsl, Connection connection, ResultSet rs, Columns columns)
            throws SQLException {
        try (Cursor<Record> cursor = dsl.fetchLazy(rs, columns.fields(connection, rs))) {
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
