package io.pgdbm.internal;

import io.pgdbm.QueryException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.UUID;
import org.jooq.EnumType;
import org.jooq.JSON;
import org.jooq.JSONB;
import org.jooq.impl.DefaultConverterProvider;

/**
 * Converts a value read from PostgreSQL into the Java type a caller asked for, only when the type holds
 * the value exactly. jOOQ's own conversion is lenient ({@code 3000000000} into {@code Integer} wraps,
 * {@code 'abc'} into {@code Integer} is null, NULL into {@code int} is 0); here each of those is a {@link
 * Mismatch} that says what did not fit.
 *
 * <p>The rules: integral types take only whole numbers in their range (from numbers or from text that
 * parses as one); floating-point types round to the nearest value, as floating point does, but a finite
 * value never becomes infinite and a non-zero value never becomes zero; {@code BigDecimal} takes any finite
 * number; booleans take only booleans and PostgreSQL's boolean words; a date takes a timestamp only at
 * midnight; {@code timestamptz} reads as {@code LocalDateTime} in UTC (how pgdbm returns it); text takes
 * any scalar; arrays convert element by element; SQL NULL never becomes a primitive. Anything else goes
 * through jOOQ's conversion, which must produce a value.
 */
final class StrictValues {
    private static final DefaultConverterProvider JOOQ = new DefaultConverterProvider();

    private StrictValues() {}

    /**
     * A value that does not fit the type asked for. Thrown as it is where jOOQ's API converts (a user's
     * {@code record.get(0, Integer.class)}); pgdbm's verbs add the column, its SQL type and the statement.
     */
    public static final class Mismatch extends QueryException {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message);
        }
    }

    /**
     * {@code value} as {@code target}, exactly.
     *
     * @throws Mismatch when {@code target} cannot hold {@code value}
     */
    @SuppressWarnings("unchecked")
    public static <U> U convert(Object value, Class<U> target) {
        if (value == null) {
            if (target.isPrimitive()) {
                throw new Mismatch("SQL NULL does not fit the primitive " + target.getName() + ": use "
                        + boxed(target).getSimpleName() + ", or coalesce(…) in the SQL");
            }
            return null;
        }
        Class<?> boxed = boxed(target);
        if (boxed.isInstance(value)) {
            return (U) value;
        }
        return (U) convertNonNull(value, boxed);
    }

    private static Object convertNonNull(Object value, Class<?> target) {
        if (target.isArray() && target != byte[].class) {
            return array(value, target.getComponentType());
        }
        if (value.getClass().isArray()) {
            throw mismatch(
                    value, target, "an array is read into an array type (e.g. " + target.getSimpleName() + "[])");
        }
        if (isNumeric(target)) {
            if (value instanceof Number number) {
                return number(number, value, target);
            }
            if (value instanceof String text) {
                return number(parseNumber(text, target), value, target);
            }
            throw mismatch(value, target, null);
        }
        if (target == Boolean.class) {
            if (value instanceof String text) {
                return bool(text, value);
            }
            throw mismatch(value, target, null);
        }
        if (target == String.class) {
            if (value instanceof byte[]) {
                throw mismatch(value, target, "read bytea as byte[]");
            }
            if (value instanceof JSONB json) {
                return json.data();
            }
            if (value instanceof JSON json) {
                return json.data();
            }
            return value.toString();
        }
        if (target == Character.class) {
            if (value instanceof String text && text.length() == 1) {
                return text.charAt(0);
            }
            throw mismatch(value, target, "a Character takes text of exactly one character");
        }
        if (target == UUID.class) {
            if (value instanceof String text) {
                try {
                    UUID uuid = UUID.fromString(text.strip());
                    if (uuid.toString().equalsIgnoreCase(text.strip())) {
                        return uuid;
                    }
                } catch (IllegalArgumentException notAUuid) {
                    // reported below
                }
            }
            throw mismatch(value, target, null);
        }
        if (target == byte[].class) {
            throw mismatch(value, target, "byte[] takes bytea values");
        }
        Object temporal = temporal(value, target);
        if (temporal != null) {
            return temporal;
        }
        if (target.isEnum()) {
            return enumConstant(value, target);
        }
        if (value instanceof String && isTemporal(target)) {
            return viaJooq(value, target); // ISO text, parsed
        }
        if (isTemporal(target) || value instanceof Boolean || value instanceof Number) {
            throw mismatch(value, target, null);
        }
        return viaJooq(value, target);
    }

    // ---- numbers ----

    private static boolean isNumeric(Class<?> type) {
        return type == Integer.class
                || type == Long.class
                || type == Short.class
                || type == Byte.class
                || type == BigInteger.class
                || type == BigDecimal.class
                || type == Double.class
                || type == Float.class;
    }

    private static Number parseNumber(String text, Class<?> target) {
        String trimmed = text.strip();
        if (target == Double.class || target == Float.class) {
            switch (trimmed.toLowerCase(Locale.ROOT)) {
                case "nan" -> {
                    return Double.NaN;
                }
                case "infinity", "+infinity", "inf" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-infinity", "-inf" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {
                    // a finite number, parsed below
                }
            }
        }
        try {
            return new BigDecimal(trimmed);
        } catch (NumberFormatException e) {
            throw mismatch(text, target, null);
        }
    }

    private static Object number(Number number, Object original, Class<?> target) {
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                if (target == Double.class) {
                    return d;
                }
                if (target == Float.class) {
                    return (float) d;
                }
                throw mismatch(original, target, "it is not a finite number");
            }
        }
        boolean floating = number instanceof Double || number instanceof Float;
        if (floating && (target == Double.class || target == Float.class)) {
            return floating(number.doubleValue(), original, target);
        }
        // A double's exact binary value for whole-number targets (1234567890123456768::float8 is that integer);
        // for BigDecimal, the shortest decimal that reads back as the same double (0.1, not 0.1000…0555).
        BigDecimal exact = number instanceof BigDecimal decimal
                ? decimal
                : number instanceof BigInteger integer
                        ? new BigDecimal(integer)
                        : floating
                                ? (target == BigDecimal.class
                                        ? BigDecimal.valueOf(number.doubleValue())
                                        : new BigDecimal(number.doubleValue()))
                                : BigDecimal.valueOf(number.longValue());
        try {
            if (target == Integer.class) {
                return exact.intValueExact();
            } else if (target == Long.class) {
                return exact.longValueExact();
            } else if (target == Short.class) {
                return exact.shortValueExact();
            } else if (target == Byte.class) {
                return exact.byteValueExact();
            } else if (target == BigInteger.class) {
                return exact.toBigIntegerExact();
            } else if (target == BigDecimal.class) {
                return exact;
            }
        } catch (ArithmeticException e) {
            throw mismatch(
                    original,
                    target,
                    exact.stripTrailingZeros().scale() > 0 ? "it is not a whole number" : "out of range");
        }
        return floating(exact, original, target);
    }

    private static Object floating(double d, Object original, Class<?> target) {
        if (target == Double.class) {
            return d;
        }
        float f = (float) d;
        if (Float.isInfinite(f) && !Double.isInfinite(d) || f == 0 && d != 0) {
            throw mismatch(original, target, "out of range");
        }
        return f;
    }

    private static Object floating(BigDecimal exact, Object original, Class<?> target) {
        double d = exact.doubleValue();
        if (target == Double.class) {
            if (Double.isInfinite(d) || d == 0 && exact.signum() != 0) {
                throw mismatch(original, target, "out of range");
            }
            return d;
        }
        float f = exact.floatValue();
        if (Float.isInfinite(f) || f == 0 && exact.signum() != 0) {
            throw mismatch(original, target, "out of range");
        }
        return f;
    }

    // ---- booleans, enums, arrays ----

    private static Boolean bool(String text, Object original) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "t", "true", "y", "yes", "on", "1" -> Boolean.TRUE;
            case "f", "false", "n", "no", "off", "0" -> Boolean.FALSE;
            default -> throw mismatch(original, Boolean.class, null);
        };
    }

    private static Object enumConstant(Object value, Class<?> target) {
        if (value instanceof String text) {
            for (Object constant : target.getEnumConstants()) {
                if (constant instanceof EnumType generated
                        ? generated.getLiteral().equals(text)
                        : ((Enum<?>) constant).name().equals(text)) {
                    return constant;
                }
            }
        }
        throw mismatch(value, target, "it is not one of " + java.util.Arrays.toString(target.getEnumConstants()));
    }

    private static Object array(Object value, Class<?> elementType) {
        if (!value.getClass().isArray() || value instanceof byte[]) {
            throw mismatch(value, elementType.arrayType(), "only an array converts into an array type");
        }
        int length = Array.getLength(value);
        Object result = Array.newInstance(elementType, length);
        for (int i = 0; i < length; i++) {
            Object element = Array.get(value, i);
            try {
                Array.set(result, i, convert(element, elementType));
            } catch (Mismatch e) {
                throw new Mismatch("element " + (i + 1) + ": " + e.getMessage());
            }
        }
        return result;
    }

    // ---- dates and times ----

    private static boolean isTemporal(Class<?> type) {
        return java.time.temporal.Temporal.class.isAssignableFrom(type) || java.util.Date.class.isAssignableFrom(type);
    }

    /** The temporal conversion of {@code value}, or null when neither side is a date or time type. */
    private static Object temporal(Object value, Class<?> target) {
        Object source = value instanceof java.sql.Date date
                ? date.toLocalDate()
                : value instanceof Timestamp timestamp
                        ? timestamp.toLocalDateTime()
                        : value instanceof java.sql.Time time ? time.toLocalTime() : value;
        OffsetDateTime instant = source instanceof OffsetDateTime odt
                ? odt
                : source instanceof Instant i
                        ? i.atOffset(ZoneOffset.UTC)
                        : source instanceof ZonedDateTime zdt ? zdt.toOffsetDateTime() : null;
        LocalDateTime local = instant != null
                ? instant.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                : source instanceof LocalDateTime ldt
                        ? ldt
                        : source instanceof LocalDate date ? date.atStartOfDay() : null;
        if (local == null) {
            if (source instanceof LocalTime time && target == LocalTime.class) {
                return time;
            }
            return null;
        }
        OffsetDateTime asInstant = instant != null ? instant : local.atOffset(ZoneOffset.UTC);
        if (target == OffsetDateTime.class) {
            return asInstant;
        } else if (target == Instant.class) {
            return asInstant.toInstant();
        } else if (target == ZonedDateTime.class) {
            return asInstant.toZonedDateTime();
        } else if (target == LocalDateTime.class) {
            return local;
        } else if (target == Timestamp.class) {
            return Timestamp.valueOf(local);
        } else if (target == LocalDate.class || target == java.sql.Date.class) {
            if (!local.toLocalTime().equals(LocalTime.MIDNIGHT)) {
                throw mismatch(value, target, "it has a time of day, which a date would drop");
            }
            return target == LocalDate.class ? local.toLocalDate() : java.sql.Date.valueOf(local.toLocalDate());
        }
        if (isTemporal(target) || target == String.class) {
            throw mismatch(value, target, null);
        }
        return null;
    }

    // ---- everything else ----

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object viaJooq(Object value, Class<?> target) {
        org.jooq.Converter converter = JOOQ.provide((Class) value.getClass(), (Class) target);
        Object converted;
        try {
            converted = converter == null ? null : converter.from(value);
        } catch (RuntimeException e) {
            throw mismatch(value, target, null);
        }
        if (converted == null) {
            throw mismatch(value, target, null);
        }
        return converted;
    }

    static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "boolean" -> Boolean.class;
            case "char" -> Character.class;
            default -> type;
        };
    }

    private static Mismatch mismatch(Object value, Class<?> target, String reason) {
        return new Mismatch(describe(value) + " does not fit " + target.getSimpleName()
                + (reason == null ? "" : " (" + reason + ")"));
    }

    /** A value for a message: its type, and the value itself shortened (text past 20 characters). */
    static String describe(Object value) {
        String type = value.getClass().isArray()
                ? value.getClass().getComponentType().getSimpleName() + "[]"
                : value.getClass().getSimpleName();
        if (value.getClass().isArray()) {
            return "a " + type + " of " + Array.getLength(value) + " elements";
        }
        return "the " + type + " " + Masking.describe(value, null);
    }
}
