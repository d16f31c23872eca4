package io.pgdbm.internal;

import io.pgdbm.Secret;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.EnumType;
import org.jooq.JSON;
import org.jooq.JSONB;
import org.postgresql.jdbc.TimestampUtils;
import org.postgresql.util.HStoreConverter;

/**
 * Writes rows in PostgreSQL's COPY text format: tab between columns, newline after a row, {@code \N} for
 * NULL, and backslash escapes for backslash, tab, newline and carriage return, so any text round-trips.
 * Arrays are written as array literals, {@code byte[]} as {@code \x} hex. Every value is written as the
 * verbs bind it: dates and times by pgJDBC's own formatter (years before 1 as {@code BC}, years past 9999,
 * {@code LocalDate.MAX} as {@code infinity}), jOOQ enums by their database label, a {@code Map} as hstore.
 */
final class CopyEncoder {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final TimestampUtils dates;
    private final List<Object> secrets;

    /**
     * @param dates the connection's date formatter: the one {@code setObject} uses for the same values
     * @param secrets where the {@link Secret}s among the values are noted, to scrub them from errors
     */
    public CopyEncoder(TimestampUtils dates, List<Object> secrets) {
        this.dates = dates;
        this.secrets = secrets;
    }

    /** Appends one row; {@code rowNumber} (1-based) and {@code columns} only serve error messages. */
    public void appendRow(StringBuilder out, List<?> row, int rowNumber, List<String> columns) {
        if (row == null || row.size() != columns.size()) {
            throw new IllegalArgumentException("row " + rowNumber + " has " + (row == null ? "no" : row.size())
                    + " values but " + columns.size() + " columns were named " + columns);
        }
        for (int i = 0; i < row.size(); i++) {
            if (i > 0) {
                out.append('\t');
            }
            appendValue(out, row.get(i), rowNumber, columns.get(i));
        }
        out.append('\n');
    }

    private void appendValue(StringBuilder out, Object value, int rowNumber, String column) {
        if (value == null) {
            out.append("\\N");
        } else if (value instanceof CharSequence text) {
            appendEscaped(out, text, rowNumber, column);
        } else if (value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte) {
            out.append(value);
        } else if (value instanceof BigDecimal decimal) {
            out.append(decimal.toPlainString());
        } else if (value instanceof Boolean bool) {
            out.append(bool ? 't' : 'f');
        } else if (value instanceof byte[] bytes) {
            out.append("\\\\x");
            for (byte b : bytes) {
                out.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        } else if (value instanceof Instant instant) {
            out.append(dates.toString(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC)));
        } else if (value instanceof OffsetDateTime dateTime) {
            out.append(dates.toString(dateTime));
        } else if (value instanceof LocalDateTime dateTime) {
            out.append(dates.toString(dateTime));
        } else if (value instanceof LocalDate date) {
            out.append(dates.toString(date));
        } else if (value instanceof LocalTime time) {
            out.append(dates.toString(time));
        } else if (value instanceof OffsetTime time) {
            out.append(dates.toString(time));
        } else if (value instanceof java.sql.Timestamp timestamp) {
            out.append(dates.toString(null, timestamp));
        } else if (value instanceof java.sql.Date date) {
            out.append(dates.toString(null, date));
        } else if (value instanceof java.sql.Time time) {
            out.append(dates.toString(null, time));
        } else if (value instanceof TemporalAccessor || value instanceof UUID || value instanceof Number) {
            out.append(value);
        } else if (value instanceof Secret secret) {
            secrets.add(secret);
            appendEscaped(out, secret.value(), rowNumber, column);
        } else if (value instanceof EnumType generated) {
            appendEscaped(out, generated.getLiteral(), rowNumber, column);
        } else if (value instanceof Enum<?> constant) {
            appendEscaped(out, constant.name(), rowNumber, column);
        } else if (value instanceof JSONB json) {
            appendEscaped(out, json.data(), rowNumber, column);
        } else if (value instanceof JSON json) {
            appendEscaped(out, json.data(), rowNumber, column);
        } else if (value instanceof Collection<?> || value.getClass().isArray()) {
            StringBuilder literal = new StringBuilder();
            appendArrayLiteral(literal, value, rowNumber, column);
            appendEscaped(out, literal, rowNumber, column);
        } else if (value instanceof Map<?, ?> map) {
            // as pgJDBC binds a Map: an hstore value (for a jsonb column, pass JSONB.valueOf(json))
            appendEscaped(out, HStoreConverter.toString(map), rowNumber, column);
        } else {
            appendEscaped(out, value.toString(), rowNumber, column);
        }
    }

    private static void appendEscaped(StringBuilder out, CharSequence text, int rowNumber, String column) {
        int bad = Utf16.unpairedSurrogate(text);
        if (bad >= 0) {
            throw new IllegalArgumentException(
                    "row " + rowNumber + ", column " + column + " " + Utf16.problem(text, bad));
        }
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\0' ->
                    throw new IllegalArgumentException("row " + rowNumber + ", column " + column
                            + " contains a NUL character (U+0000), which PostgreSQL text cannot store");
                default -> out.append(c);
            }
        }
    }

    /** {@code {a,"b c",NULL}}: every element double-quoted with {@code "} and {@code \} escaped. */
    private void appendArrayLiteral(StringBuilder out, Object array, int rowNumber, String column) {
        out.append('{');
        int length = array instanceof Collection<?> c ? c.size() : Array.getLength(array);
        java.util.Iterator<?> iterator = array instanceof Collection<?> c ? c.iterator() : null;
        for (int i = 0; i < length; i++) {
            Object element = iterator != null ? iterator.next() : Array.get(array, i);
            if (i > 0) {
                out.append(',');
            }
            if (element == null) {
                out.append("NULL");
            } else if (element instanceof Collection<?>
                    || (element.getClass().isArray() && !(element instanceof byte[]))) {
                appendArrayLiteral(out, element, rowNumber, column);
            } else {
                StringBuilder plain = new StringBuilder();
                appendValue(plain, element, rowNumber, column);
                String text = unescapeCopy(plain);
                out.append('"');
                for (int j = 0; j < text.length(); j++) {
                    char c = text.charAt(j);
                    if (c == '"' || c == '\\') {
                        out.append('\\');
                    }
                    out.append(c);
                }
                out.append('"');
            }
        }
        out.append('}');
    }

    /** Undoes {@link #appendEscaped} for one element, since the array literal is escaped as a whole. */
    private static String unescapeCopy(CharSequence escaped) {
        StringBuilder plain = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\' && i + 1 < escaped.length()) {
                char next = escaped.charAt(++i);
                plain.append(
                        switch (next) {
                            case 't' -> '\t';
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            default -> next;
                        });
            } else {
                plain.append(c);
            }
        }
        return plain.toString();
    }
}
