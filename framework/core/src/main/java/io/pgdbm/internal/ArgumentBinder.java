package io.pgdbm.internal;

import io.pgdbm.Secret;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.UUID;
import org.jooq.EnumType;
import org.jooq.JSON;
import org.jooq.JSONB;
import org.postgresql.util.PGobject;

/**
 * Binds caller arguments to a pgJDBC statement. pgJDBC's {@code setObject} covers most types; this
 * fills the gaps asyncpg users expect: {@code Instant}, Java enums, jOOQ JSON types, {@link Secret} and
 * {@code List}s as arrays.
 */
final class ArgumentBinder {
    private ArgumentBinder() {}

    public static void bind(Connection connection, PreparedStatement statement, ParsedSql parsed, Object[] args)
            throws SQLException {
        for (int i = 0; i < args.length; i++) {
            checkText(args[i], i + 1);
        }
        int[] order = parsed.argumentOrder();
        for (int i = 0; i < order.length; i++) {
            bindOne(connection, statement, i + 1, args[order[i]]);
        }
    }

    static void bindOne(Connection connection, PreparedStatement statement, int index, Object value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.OTHER);
        } else if (value instanceof String text) {
            statement.setString(index, text);
        } else if (value instanceof Instant instant) {
            statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        } else if (value instanceof Secret secret) {
            statement.setString(index, secret.value());
        } else if (value instanceof EnumType generated) {
            // a jOOQ-generated enum: its database label, which may differ from the Java constant's name
            statement.setString(index, generated.getLiteral());
        } else if (value instanceof Enum<?> constant) {
            statement.setString(index, constant.name());
        } else if (value instanceof JSONB json) {
            statement.setObject(index, pgObject("jsonb", json.data()));
        } else if (value instanceof JSON json) {
            statement.setObject(index, pgObject("json", json.data()));
        } else if (value instanceof Collection<?> collection) {
            bindArray(connection, statement, index, collection.toArray());
        } else if (value instanceof Object[] array && !(value instanceof byte[])) {
            bindArray(connection, statement, index, array);
        } else {
            statement.setObject(index, value);
        }
    }

    /**
     * An array whose element type shows in its first non-null element; one with none (empty, or all NULL) is
     * sent untyped, like a string, so the server takes the column's type: {@code List.of()} fills an {@code
     * int[]} column as it fills a {@code text[]} one.
     */
    private static void bindArray(Connection connection, PreparedStatement statement, int index, Object[] elements)
            throws SQLException {
        boolean typed = false;
        for (Object element : elements) {
            typed |= element != null;
        }
        if (!typed) {
            StringBuilder literal = new StringBuilder("{");
            for (int i = 0; i < elements.length; i++) {
                literal.append(i == 0 ? "NULL" : ",NULL");
            }
            statement.setString(index, literal.append('}').toString());
            return;
        }
        statement.setArray(
                index, connection.createArrayOf(arrayType(java.util.Arrays.asList(elements), index), elements));
    }

    /**
     * Refuses text that UTF-8 cannot encode (the driver would store {@code ?} in its place): in a string, a
     * {@link Secret}, JSON, or an element of an array or list.
     */
    private static void checkText(Object value, int argument) throws SQLException {
        String text = value instanceof String s
                ? s
                : value instanceof Secret secret
                        ? secret.value()
                        : value instanceof JSONB json ? json.data() : value instanceof JSON json ? json.data() : null;
        if (text != null) {
            int bad = Utf16.unpairedSurrogate(text);
            if (bad >= 0) {
                throw new SQLException("argument " + argument + " " + Utf16.problem(text, bad), "22021");
            }
        } else if (value instanceof Collection<?> elements) {
            for (Object element : elements) {
                checkText(element, argument);
            }
        } else if (value instanceof Object[] array) {
            for (Object element : array) {
                checkText(element, argument);
            }
        }
    }

    private static PGobject pgObject(String type, String data) throws SQLException {
        PGobject object = new PGobject();
        object.setType(type);
        object.setValue(data);
        return object;
    }

    /** The PostgreSQL element type for a collection, from its first non-null element. */
    static String arrayType(Collection<?> elements, int index) throws SQLException {
        for (Object element : elements) {
            if (element == null) {
                continue;
            }
            if (element instanceof String || element instanceof Enum<?> || element instanceof Secret) {
                return "text";
            } else if (element instanceof Integer) {
                return "int4";
            } else if (element instanceof Long) {
                return "int8";
            } else if (element instanceof Short) {
                return "int2";
            } else if (element instanceof Double) {
                return "float8";
            } else if (element instanceof Float) {
                return "float4";
            } else if (element instanceof BigDecimal) {
                return "numeric";
            } else if (element instanceof Boolean) {
                return "bool";
            } else if (element instanceof UUID) {
                return "uuid";
            } else if (element instanceof LocalDate) {
                return "date";
            } else if (element instanceof LocalDateTime) {
                return "timestamp";
            } else if (element instanceof OffsetDateTime || element instanceof Instant) {
                return "timestamptz";
            } else if (element instanceof LocalTime) {
                return "time";
            } else if (element instanceof byte[]) {
                return "bytea";
            }
            throw new SQLException(
                    "argument " + index + " is a collection of "
                            + element.getClass().getName()
                            + ", which pgdbm cannot send as a PostgreSQL array; use strings, numbers, booleans, UUIDs,"
                            + " dates or byte arrays",
                    "22023");
        }
        return "text";
    }
}
