package io.pgdbm.testing;

import io.pgdbm.DatabaseOperations;
import io.pgdbm.internal.Identifiers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads test data, as pgdbm's fixtures do.
 *
 * <ul>
 *   <li>{@link #sql}: a {@code .sql} file, templates expanded for the manager's schema;
 *   <li>{@link #json}: {@code {"table": [{"column": value, …}, …], …}}, tables and rows inserted in
 *       document order (list parents before children). PostgreSQL parses the JSON and converts each value
 *       to its column's type; a column a row leaves out keeps its default.
 * </ul>
 *
 * Locations are paths or {@code classpath:…}.
 */
public final class Fixtures {
    private Fixtures() {}

    /** Runs a SQL file (several statements allowed). */
    public static void sql(DatabaseOperations db, String location) {
        db.execute(read(location));
    }

    /** Inserts rows from a JSON document; returns how many rows were inserted. */
    public static long json(DatabaseOperations db, String location) {
        return jsonText(db, read(location));
    }

    /** As {@link #json(DatabaseOperations, String)}, from the JSON text itself. */
    public static long jsonText(DatabaseOperations db, String json) {
        long inserted = 0;
        // json (not jsonb) keeps the document's order, so parents can be listed before children.
        List<String> tables = db.fetchAll(
                        "SELECT key FROM json_each($1::json) WITH ORDINALITY AS e(key, value, position) ORDER BY position",
                        json)
                .getValues("key", String.class);
        for (String table : tables) {
            Identifiers.require("table name in the fixture", table);
            // Row by row, in document order, each with exactly its own columns: a column a row leaves out
            // keeps its default even when other rows set it.
            for (org.jooq.Record row : db.fetchAll(
                    "SELECT r::text AS row, ARRAY(SELECT jsonb_object_keys(r)) AS keys"
                            + " FROM jsonb_array_elements($1::jsonb -> $2) WITH ORDINALITY AS e(r, n) ORDER BY n",
                    json,
                    table)) {
                String[] keys = row.get("keys", String[].class);
                if (keys.length == 0) {
                    inserted += db.execute("INSERT INTO {{tables." + table + "}} DEFAULT VALUES");
                    continue;
                }
                for (String column : keys) {
                    Identifiers.require("column name in the fixture", column);
                }
                String list = String.join(
                        ", ",
                        java.util.Arrays.stream(keys).map(Identifiers::quote).toList());
                inserted += db.execute(
                        "INSERT INTO {{tables." + table + "}} (" + list + ") SELECT " + list
                                + " FROM jsonb_populate_record(NULL::{{tables." + table + "}}, $1::jsonb)",
                        row.get("row", String.class));
            }
        }
        return inserted;
    }

    static String read(String location) {
        try {
            if (location.startsWith("classpath:")) {
                String path = location.substring("classpath:".length()).replaceFirst("^/+", "");
                ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                        ? Thread.currentThread().getContextClassLoader()
                        : Fixtures.class.getClassLoader();
                try (InputStream in = loader.getResourceAsStream(path)) {
                    if (in == null) {
                        throw new IllegalArgumentException("fixture " + location + " is not on the class path");
                    }
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return Files.readString(Path.of(location));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + location, e);
        }
    }
}
