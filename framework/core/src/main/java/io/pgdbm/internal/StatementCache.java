package io.pgdbm.internal;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rendered and translated SQL, per manager, keyed by the caller's SQL text. A hit costs one
 * {@code ConcurrentHashMap.get}: templates and placeholders are processed once per distinct statement.
 *
 * <p>Bounded: past {@link #capacity} entries, about half are dropped in one sweep. Statements that are
 * built dynamically (with values in the text) would otherwise grow the map without limit. A plain map is
 * used rather than a caching library because the hit path must stay in the tens of nanoseconds (see the
 * S2 benchmark) and no eviction order matters here: a miss only costs a re-parse.
 */
public final class StatementCache {
    /**
     * What the cache holds per statement; {@code columns} remembers the fields of its last result, so
     * repeated reads skip the type lookups.
     */
    public record Entry(
            String renderedSql, ParsedSql parsed, String shape, RecordReader.Columns columns, int effects) {}

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final String schema;
    private final int capacity;
    private final java.util.Set<String> builtins;

    /** @param builtins the server's built-in function names, for {@link StatementEffects} */
    public StatementCache(String schema, int capacity, java.util.Set<String> builtins) {
        this.schema = schema;
        this.capacity = capacity;
        this.builtins = builtins;
    }

    /** The rendered and translated form of {@code sql}, computed on first use. */
    public Entry get(String sql) {
        Entry entry = entries.get(sql);
        if (entry != null) {
            return entry;
        }
        String rendered = SqlTemplate.render(sql, schema);
        entry = new Entry(
                rendered,
                ParameterTranslator.translate(rendered),
                QueryObserver.shape(sql),
                new RecordReader.Columns(),
                StatementEffects.of(rendered, builtins));
        if (entries.size() >= capacity) {
            evictHalf();
        }
        entries.put(sql, entry);
        return entry;
    }

    /** Template expansion only (pgdbm's {@code prepare_query}), through the same cache. */
    public String render(String sql) {
        Entry entry = entries.get(sql);
        return entry != null ? entry.renderedSql() : SqlTemplate.render(sql, schema);
    }

    /** What {@code sql} may change beyond its transaction ({@link StatementEffects}). */
    public int effectsOf(String sql) {
        return StatementEffects.of(sql, builtins);
    }

    public int size() {
        return entries.size();
    }

    private void evictHalf() {
        int toRemove = entries.size() / 2;
        Iterator<String> keys = entries.keySet().iterator();
        while (toRemove-- > 0 && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
