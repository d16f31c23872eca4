package io.pgdbm.internal;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
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
final class RecordReader {
    private RecordReader() {}

    /**
     * The fields of a statement's last result: labels and type OIDs, and the jOOQ fields made from them. A
     * statement usually returns the same columns every time; when they differ (the table changed), the
     * fields are made again.
     */
    public static final class Columns {
        private volatile Shape last;

        Field<?>[] fields(Connection connection, ResultSet rs) throws SQLException {
            return shape(connection, rs).fields();
        }

        Shape shape(Connection connection, ResultSet rs) throws SQLException {
            PgResultSet pgResult = rs.isWrapperFor(PgResultSet.class) ? rs.unwrap(PgResultSet.class) : null;
            if (pgResult == null) {
                return new Shape(null, null, RecordReader.fields(connection, rs), null);
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
                    return shape;
                }
            }
            String[] labels = new String[count];
            int[] oids = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = meta.getColumnLabel(i + 1);
                oids[i] = pgResult.getColumnOID(i + 1);
            }
            Field<?>[] fields = RecordReader.fields(connection, rs);
            shape = new Shape(labels, oids, fields, readers(fields));
            last = shape;
            return shape;
        }
    }

    /**
     * A result's columns: labels and type OIDs (null when the result is not pgJDBC's), the jOOQ fields, and
     * a direct reader per column when every column has one (else null: jOOQ reads the rows).
     */
    record Shape(String[] labels, int[] oids, Field<?>[] fields, ColumnReader[] readers) {}

    /** Reads one column of the current row as the Java type jOOQ's binding for the field would return. */
    @FunctionalInterface
    interface ColumnReader {
        Object read(ResultSet rs, int column) throws SQLException;
    }

    /**
     * Direct readers for the common scalar types, each returning exactly what jOOQ's binding returns for
     * that field type (the same pgJDBC getter, with SQL NULL as null); null when any column needs jOOQ's
     * bindings (JSON, arrays, enums, dates without a zone, user types, …). Skipping jOOQ's per-value binding
     * machinery makes reading many rows about a third cheaper on the client (benchmark S7).
     */
    static ColumnReader[] readers(Field<?>[] fields) {
        ColumnReader[] readers = new ColumnReader[fields.length];
        for (int i = 0; i < fields.length; i++) {
            readers[i] = reader(fields[i].getType());
            if (readers[i] == null) {
                return null;
            }
        }
        return readers;
    }

    private static ColumnReader reader(Class<?> type) {
        if (type == String.class) {
            return ResultSet::getString;
        } else if (type == Long.class) {
            return (rs, i) -> {
                long value = rs.getLong(i);
                return value == 0 && rs.wasNull() ? null : value;
            };
        } else if (type == Integer.class) {
            return (rs, i) -> {
                int value = rs.getInt(i);
                return value == 0 && rs.wasNull() ? null : value;
            };
        } else if (type == Short.class) {
            return (rs, i) -> {
                short value = rs.getShort(i);
                return value == 0 && rs.wasNull() ? null : value;
            };
        } else if (type == Boolean.class) {
            return (rs, i) -> {
                boolean value = rs.getBoolean(i);
                return !value && rs.wasNull() ? null : value;
            };
        } else if (type == Double.class) {
            return (rs, i) -> {
                double value = rs.getDouble(i);
                return value == 0 && rs.wasNull() ? null : value;
            };
        } else if (type == Float.class) {
            return (rs, i) -> {
                float value = rs.getFloat(i);
                return value == 0 && rs.wasNull() ? null : value;
            };
        } else if (type == BigDecimal.class) {
            return ResultSet::getBigDecimal;
        } else if (type == OffsetDateTime.class) {
            // as jOOQ reads it with bindOffsetDateTimeType (DatabaseManager's settings): pgJDBC's decoding, UTC
            return (rs, i) -> rs.getObject(i, OffsetDateTime.class);
        } else if (type == UUID.class) {
            return (rs, i) -> rs.getObject(i, UUID.class);
        }
        return null;
    }

    /** The current row as a record of {@code fields}, unchanged (as jOOQ's fetch leaves it). */
    @SuppressWarnings("unchecked")
    private static Record read(DSLContext dsl, ResultSet rs, Shape shape) throws SQLException {
        Field<?>[] fields = shape.fields();
        ColumnReader[] readers = shape.readers();
        Record record = dsl.newRecord(fields);
        for (int i = 0; i < readers.length; i++) {
            record.set((Field<Object>) fields[i], readers[i].read(rs, i + 1));
        }
        record.touched(false);
        return record;
    }

    public static Result<Record> readAll(DSLContext dsl, Connection connection, ResultSet rs, Columns columns)
            throws SQLException {
        Shape shape = columns.shape(connection, rs);
        if (shape.readers() == null) {
            return dsl.fetch(rs, shape.fields());
        }
        Result<Record> result = dsl.newResult(shape.fields());
        while (rs.next()) {
            result.add(read(dsl, rs, shape));
        }
        return result;
    }

    public static Optional<Record> readFirst(DSLContext dsl, Connection connection, ResultSet rs, Columns columns)
            throws SQLException {
        Shape shape = columns.shape(connection, rs);
        if (shape.readers() == null) {
            try (Cursor<Record> cursor = dsl.fetchLazy(rs, shape.fields())) {
                return Optional.ofNullable(cursor.fetchNext());
            }
        }
        return rs.next() ? Optional.of(read(dsl, rs, shape)) : Optional.empty();
    }

    static Field<?>[] fields(Connection connection, ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int count = meta.getColumnCount();
        Field<?>[] fields = new Field<?>[count];
        PgResultSet pgResult = rs.isWrapperFor(PgResultSet.class) ? rs.unwrap(PgResultSet.class) : null;
        BaseConnection pgConnection =
                connection.isWrapperFor(BaseConnection.class) ? SessionGuard.pgConnection(connection) : null;
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
