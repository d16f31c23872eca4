package io.pgdbm.internal;

import io.pgdbm.QueryException;
import java.beans.ConstructorProperties;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jooq.Configuration;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.RecordMapper;
import org.jooq.RecordMapperProvider;
import org.jooq.RecordType;
import org.jooq.impl.DefaultRecordMapper;

/**
 * How a manager's rows map into classes ({@code fetchAll(User.class, …)}, {@code record.into(User.class)},
 * {@code dsl().…fetchInto(User.class)}).
 *
 * <ul>
 *   <li>Java records, and immutable classes with one constructor whose parameter names are known ({@code
 *       -parameters}, Kotlin data classes, {@code @ConstructorProperties}): each component takes the column
 *       of the same name ({@code created_at} fills {@code createdAt}); a component without a column, or a
 *       value its type cannot hold exactly, is an error naming the column, its SQL type and the component.
 *   <li>A single value type ({@code Long}, {@code String}, {@code UUID}, …): the row's only column, exactly.
 *   <li>Anything else (mutable classes with setters or fields, jOOQ records): jOOQ's {@link
 *       DefaultRecordMapper}, whose conversions follow the same strict rules ({@link
 *       StrictConverterProvider}); properties without a column keep their defaults.
 * </ul>
 */
final class RowMappers implements RecordMapperProvider {
    private final Configuration configuration;

    RowMappers(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public <R extends Record, E> RecordMapper<R, E> provide(RecordType<R> recordType, Class<? extends E> type) {
        if (isValueType(type)) {
            return new ValueMapper<>(recordType, type);
        }
        Constructor<? extends E> constructor = namedConstructor(type);
        if (constructor != null && !hasNestedColumns(recordType)) {
            return new ConstructorMapper<>(recordType, type, constructor);
        }
        return new DefaultRecordMapper<>(recordType, type, configuration);
    }

    /** Scalars a single column maps into: numbers, text, booleans, dates and times, UUIDs, bytes, enums, arrays of them. */
    static boolean isValueType(Class<?> type) {
        if (type.isArray() && type != byte[].class) {
            return isValueType(type.getComponentType());
        }
        Class<?> boxed = StrictValues.boxed(type);
        return boxed.getName().startsWith("java.lang.") && !boxed.equals(Object.class)
                || Number.class.isAssignableFrom(boxed)
                || java.time.temporal.Temporal.class.isAssignableFrom(boxed)
                || boxed == java.util.UUID.class
                || boxed == byte[].class
                || boxed.isEnum();
    }

    /** Nested mapping ({@code "address.street"}) is jOOQ's feature; leave such rows to it. */
    private static boolean hasNestedColumns(RecordType<?> recordType) {
        for (Field<?> field : recordType.fields()) {
            if (field.getName().indexOf('.') >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The canonical constructor of a record, or the one constructor of an immutable class with known names. */
    @SuppressWarnings("unchecked")
    private static <E> Constructor<? extends E> namedConstructor(Class<? extends E> type) {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) || type.isArray()) {
            return null;
        }
        if (type.isRecord()) {
            Class<?>[] types = java.util.Arrays.stream(type.getRecordComponents())
                    .map(RecordComponent::getType)
                    .toArray(Class<?>[]::new);
            try {
                return type.getDeclaredConstructor(types);
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
        Constructor<?>[] constructors = type.getDeclaredConstructors();
        for (Constructor<?> candidate : constructors) {
            if (candidate.getParameterCount() == 0) {
                return null; // a mutable class: setters and fields, jOOQ's way
            }
        }
        if (constructors.length != 1) {
            return null;
        }
        Constructor<?> only = constructors[0];
        boolean named = only.isAnnotationPresent(ConstructorProperties.class)
                || java.util.Arrays.stream(only.getParameters()).allMatch(Parameter::isNamePresent);
        return named ? (Constructor<? extends E>) only : null;
    }

    /** Column names and component names match ignoring case and underscores: {@code created_at} ~ {@code createdAt}. */
    static String normalized(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static String sqlType(Field<?> field) {
        return field.getDataType().getTypeName();
    }

    private static List<String> names(RecordType<?> recordType) {
        List<String> names = new ArrayList<>();
        for (Field<?> field : recordType.fields()) {
            names.add(field.getName());
        }
        return names;
    }

    /** One column into a value type. */
    private static final class ValueMapper<R extends Record, E> implements RecordMapper<R, E> {
        private final Class<? extends E> type;
        private final Field<?> field;

        ValueMapper(RecordType<R> recordType, Class<? extends E> type) {
            if (recordType.size() != 1) {
                throw new QueryException(
                        "Rows map into " + type.getSimpleName() + " only from a query with one column; this one has "
                                + recordType.size() + " " + names(recordType)
                                + ". Select one column, or map into a record with a component per column.",
                        null,
                        null,
                        List.of(),
                        null);
            }
            this.type = type;
            this.field = recordType.field(0);
        }

        @Override
        public E map(R record) {
            try {
                return StrictValues.convert(record.get(0), type);
            } catch (StrictValues.Mismatch e) {
                throw new QueryException(
                        "Column " + field.getName() + " (" + sqlType(field) + "): " + e.getMessage(),
                        null,
                        null,
                        List.of(),
                        null);
            }
        }
    }

    /** A row into the parameters of a record's canonical constructor, or of an immutable class's. */
    private static final class ConstructorMapper<R extends Record, E> implements RecordMapper<R, E> {
        private final Class<? extends E> type;
        private final Constructor<? extends E> constructor;
        private final String[] names;
        private final Class<?>[] types;
        private final Type[] genericTypes;
        private final int[] columns;
        private final Field<?>[] fields;

        ConstructorMapper(RecordType<R> recordType, Class<? extends E> type, Constructor<? extends E> constructor) {
            this.type = type;
            this.constructor = constructor;
            constructor.setAccessible(true);
            this.names = parameterNames(type, constructor);
            this.types = constructor.getParameterTypes();
            this.genericTypes = constructor.getGenericParameterTypes();
            this.fields = recordType.fields();
            this.columns = new int[names.length];
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                columns[i] = column(names[i]);
                if (columns[i] < 0) {
                    missing.add(names[i] + " (" + types[i].getSimpleName() + ")");
                }
            }
            if (!missing.isEmpty()) {
                throw new QueryException(
                        "Rows cannot map into " + type.getSimpleName() + ": "
                                + (missing.size() == 1 ? "component " : "components ")
                                + String.join(", ", missing) + (missing.size() == 1 ? " has" : " have")
                                + " no column in the result, whose columns are " + names(recordType)
                                + ". Select a column of that name (or alias one: … AS "
                                + missing.get(0).split(" ")[0]
                                + ").",
                        null,
                        null,
                        List.of(),
                        null);
            }
        }

        private int column(String name) {
            for (int i = 0; i < fields.length; i++) {
                if (fields[i].getName().equals(name)) {
                    return i;
                }
            }
            String wanted = normalized(name);
            int found = -1;
            for (int i = 0; i < fields.length; i++) {
                if (normalized(fields[i].getName()).equals(wanted)) {
                    if (found >= 0) {
                        throw new QueryException(
                                "Rows cannot map into " + type.getSimpleName() + ": columns " + fields[found].getName()
                                        + " and " + fields[i].getName() + " both match component " + name,
                                null,
                                null,
                                List.of(),
                                null);
                    }
                    found = i;
                }
            }
            return found;
        }

        private static String[] parameterNames(Class<?> type, Constructor<?> constructor) {
            if (type.isRecord()) {
                return java.util.Arrays.stream(type.getRecordComponents())
                        .map(RecordComponent::getName)
                        .toArray(String[]::new);
            }
            ConstructorProperties properties = constructor.getAnnotation(ConstructorProperties.class);
            if (properties != null) {
                return properties.value();
            }
            return java.util.Arrays.stream(constructor.getParameters())
                    .map(Parameter::getName)
                    .toArray(String[]::new);
        }

        @Override
        public E map(R record) {
            Object[] arguments = new Object[names.length];
            for (int i = 0; i < names.length; i++) {
                Object value = record.get(columns[i]);
                try {
                    arguments[i] = component(value, types[i], genericTypes[i]);
                } catch (StrictValues.Mismatch e) {
                    Field<?> field = fields[columns[i]];
                    throw new QueryException(
                            "Column " + field.getName() + " (" + sqlType(field) + ") cannot fill component " + names[i]
                                    + " (" + types[i].getSimpleName() + ") of " + type.getSimpleName() + ": "
                                    + e.getMessage(),
                            null,
                            null,
                            List.of(),
                            null);
                }
            }
            try {
                return constructor.newInstance(arguments);
            } catch (InvocationTargetException e) {
                throw Throwables.rethrow(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new QueryException(
                        "Could not create " + type.getName() + ": " + e.getMessage(), null, null, List.of(), e);
            }
        }

        /** A value for one component: exact conversion; arrays fill List and Set components element by element. */
        private static Object component(Object value, Class<?> type, Type genericType) {
            if (value != null
                    && Collection.class.isAssignableFrom(type)
                    && value.getClass().isArray()) {
                Class<?> elementType = Object.class;
                if (genericType instanceof ParameterizedType parameterized
                        && parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
                    elementType = element;
                }
                Object[] elements = (Object[]) StrictValues.convert(value, elementType.arrayType());
                if (Set.class.isAssignableFrom(type)) {
                    return new LinkedHashSet<>(java.util.Arrays.asList(elements));
                }
                return java.util.Arrays.asList(elements);
            }
            return StrictValues.convert(value, type);
        }
    }
}
