package io.pgdbm.testing;

import io.pgdbm.DatabaseOperations;
import io.pgdbm.internal.Identifiers;
import io.pgdbm.internal.ResourceFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads test data, as pgdbm's fixtures do.
 *
 * <ul>
 *   <li>{@link #sql}: a {@code .sql} file, templates expanded for the manager's schema;
 *   <li>{@link #json}: {@code {"table": [{"column": value, …}, …], …}}, tables and rows inserted in
 *       document order (list parents before children). PostgreSQL parses the JSON and converts each value
 *       to its column's type; a column a row leaves out keeps its default;
 *   <li>{@link #directory}: every {@code .sql} and {@code .json} file of a folder, in name order, in one
 *       transaction (pgdbm's {@code load_fixtures(dir)}).
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

    /**
     * Loads every fixture of a folder in one transaction: {@code .sql} files run, {@code .json} files are
     * inserted, in file-name order (number them to order them: {@code 01_users.json}, {@code 02_orders.sql}).
     * Hidden files and other files are skipped. When a file fails, nothing of the folder is loaded and the
     * error names the file.
     *
     * @return the rows the JSON files inserted
     * @throws IllegalArgumentException when the folder does not exist or holds no {@code .sql} or {@code
     *     .json} file
     */
    public static long directory(DatabaseOperations db, String location) {
        Map<String, byte[]> files;
        try {
            files = ResourceFolder.read(location, loader(), Fixtures::isFixture, "fixtures");
        } catch (ResourceFolder.FolderException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("the fixtures folder " + location + " holds no .sql or .json file");
        }
        List<String> names = new ArrayList<>(files.keySet());
        names.sort(null);
        return db.transactionResult(tx -> {
            long inserted = 0;
            for (String name : names) {
                String text = new String(files.get(name), StandardCharsets.UTF_8);
                try {
                    if (name.endsWith(".json")) {
                        inserted += jsonText(tx, text);
                    } else {
                        tx.execute(text);
                    }
                } catch (RuntimeException e) {
                    throw new FixtureException("fixture " + name + " in " + location + " failed: " + e.getMessage(), e);
                }
            }
            return inserted;
        });
    }

    /** A fixture file of a folder failed; nothing of the folder was loaded. */
    public static final class FixtureException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FixtureException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static boolean isFixture(String name) {
        return !name.startsWith(".") && (name.endsWith(".sql") || name.endsWith(".json"));
    }

    private static ClassLoader loader() {
        return Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader()
                : Fixtures.class.getClassLoader();
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
                try (InputStream in = loader().getResourceAsStream(path)) {
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
