package io.pgdbm.internal;

import org.jooq.Converter;
import org.jooq.ConverterProvider;
import org.jooq.impl.DefaultConverterProvider;

/**
 * jOOQ's conversions on every record of a manager ({@code record.get(0, Integer.class)}, mapping into
 * classes) by {@link StrictValues}' rules: a value that does not fit its type throws instead of wrapping,
 * truncating or becoming null.
 */
final class StrictConverterProvider implements ConverterProvider {
    private final DefaultConverterProvider jooq = new DefaultConverterProvider();

    @Override
    public <T, U> Converter<T, U> provide(Class<T> tType, Class<U> uType) {
        if (!RowMappers.isValueType(uType)) {
            // classes, records and user types: jOOQ decides (null means "map it another way", e.g. as a POJO)
            return jooq.provide(tType, uType);
        }
        return Converter.of(
                tType, uType, value -> StrictValues.convert(value, uType), value -> StrictValues.convert(value, tType));
    }
}
