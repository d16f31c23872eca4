package io.pgdbm.testing;

import io.pgdbm.SharedPool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * What a template database holds, read once per JVM from a fresh clone, so that a clone a test has used can
 * be checked and reset to exactly that state instead of being dropped (IntegreSQL's idea):
 *
 * <ul>
 *   <li>a fingerprint of the catalog — any DDL, a new schema, a role setting on the database, a large
 *       object or a prepared transaction changes it, and such a database is dropped, never reused;
 *   <li>the tables, the rows the template itself holds (seed data, migration history), and every
 *       sequence's value: a reset truncates the tables, copies those rows back and sets the sequences.
 * </ul>
 *
 * <p>The fingerprint counts the rows of every catalog table and sums their {@code xmin}: a catalog row a
 * test inserted, changed or deleted changes it, while reading and writing table data does not (a clone's
 * catalog rows are byte copies of the template's, row versions included). Two catalogs are compared by what
 * their rows mean instead: {@code pg_class}, whose rows {@code TRUNCATE}, {@code VACUUM} and {@code ANALYZE}
 * rewrite (file nodes, statistics) — names, kinds, options, owners and access count, and a materialized
 * view's file node, which {@code REFRESH} changes; and {@code pg_namespace}, where the temporary schema a
 * session leaves behind (empty once the session ends) does not count. The database's own row, its role
 * settings and its shared dependencies count too.
 */
final class TemplateState {
    /** A table's rows in the template, in COPY's binary format. */
    record Seed(String table, byte[] rows) {}

    /** A sequence's value in the template. */
    record SequenceValue(String sequence, long value, boolean called) {}

    /** The fingerprint query per server version: the catalog tables differ between versions. */
    private static final ConcurrentHashMap<String, String> FINGERPRINT_SQL = new ConcurrentHashMap<>();

    final String fingerprint;
    final List<String> tables;
    final List<Seed> seeds;
    final List<SequenceValue> sequences;
    /** The temporary schemas the template itself holds (left by the sessions that migrated it). */
    final List<String> temporarySchemas;
    /** Null when the template's clones can be reset and reused; else why not. */
    final String notReusable;

    private TemplateState(
            String fingerprint,
            List<String> tables,
            List<Seed> seeds,
            List<SequenceValue> sequences,
            List<String> temporarySchemas,
            String notReusable) {
        this.fingerprint = fingerprint;
        this.tables = tables;
        this.seeds = seeds;
        this.sequences = sequences;
        this.temporarySchemas = temporarySchemas;
        this.notReusable = notReusable;
    }

    /** Reads the state of a database that no test has touched yet. */
    static TemplateState read(SharedPool pool) {
        try (Connection connection = pool.acquire()) {
            String notReusable = superuser(connection)
                    ? null
                    : "the server user is not a superuser, which a reset needs (to restore rows without firing"
                            + " triggers)";
            List<String> tables = new ArrayList<>();
            List<String> leaves = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rs =
                            statement.executeQuery("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
                                    + " c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                                    + " WHERE c.relkind IN ('r', 'p') AND c.relpersistence <> 't'"
                                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                                    + " AND n.nspname NOT LIKE 'pg\\_toast%' ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                    if ("r".equals(rs.getString(2))) {
                        leaves.add(rs.getString(1));
                    }
                }
            }
            List<Seed> seeds = new ArrayList<>();
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            for (String table : leaves) {
                if (hasRows(connection, table)) {
                    ByteArrayOutputStream rows = new ByteArrayOutputStream();
                    copy.copyOut("COPY " + table + " TO STDOUT (FORMAT binary)", rows);
                    seeds.add(new Seed(table, rows.toByteArray()));
                }
            }
            List<SequenceValue> sequences = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT quote_ident(schemaname) || '.'"
                            + " || quote_ident(sequencename), coalesce(last_value, start_value), last_value IS NOT NULL"
                            + " FROM pg_sequences ORDER BY 1")) {
                while (rs.next()) {
                    sequences.add(new SequenceValue(rs.getString(1), rs.getLong(2), rs.getBoolean(3)));
                }
            }
            List<String> temporarySchemas = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(
                            "SELECT nspname FROM pg_namespace WHERE nspname ~ '^pg_(toast_)?temp_[0-9]+$'")) {
                while (rs.next()) {
                    temporarySchemas.add(rs.getString(1));
                }
            }
            return new TemplateState(fingerprint(connection), tables, seeds, sequences, temporarySchemas, notReusable);
        } catch (SQLException | IOException e) {
            return new TemplateState(
                    null, List.of(), List.of(), List.of(), List.of(), "reading the template failed: " + e);
        }
    }

    private static boolean superuser(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static boolean hasRows(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** The catalog's fingerprint on {@code connection}'s database (see the class comment). */
    static String fingerprint(Connection connection) throws SQLException {
        String version = connection.unwrap(PGConnection.class).getParameterStatus("server_version");
        String sql = FINGERPRINT_SQL.get(version);
        if (sql == null) {
            sql = fingerprintSql(connection);
            FINGERPRINT_SQL.putIfAbsent(version, sql);
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * One subquery per catalog table of the database, each reading it whole (about a millisecond more than
     * reading only user objects, and it sees a test's comment, grant or text-search mapping on a built-in
     * object too).
     */
    private static String fingerprintSql(Connection connection) throws SQLException {
        List<String> parts = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.relname FROM pg_class c"
                        + " WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relkind = 'r' AND NOT c.relisshared"
                        + " AND c.relname NOT IN ('pg_class', 'pg_namespace', 'pg_statistic', 'pg_statistic_ext_data')"
                        + " ORDER BY c.relname");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                parts.add("(SELECT count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM pg_catalog."
                        + rs.getString(1) + ")");
            }
        }
        // A session's temporary schema stays after the session (empty): it is no change a test could see.
        parts.add("(SELECT md5(coalesce(string_agg(concat_ws(',', oid, nspname, nspowner, nspacl::text), ';'"
                + " ORDER BY oid), '')) FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_(toast_)?temp_')");
        parts.add("(SELECT md5(coalesce(string_agg(concat_ws(',', c.oid, c.relname, c.relnamespace, c.relkind,"
                + " c.relpersistence, c.reloptions::text, c.relacl::text, c.relowner, c.reltype, c.relam,"
                + " c.relhastriggers, c.relhasrules, c.relrowsecurity, c.relforcerowsecurity, c.relispartition,"
                + " c.relreplident, c.relnatts, c.relchecks, CASE WHEN c.relkind = 'm' THEN c.relfilenode END),"
                + " ';' ORDER BY c.oid), '')) FROM pg_catalog.pg_class c)");
        String database = "(SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())";
        parts.add("(SELECT count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM pg_catalog.pg_db_role_setting"
                + " WHERE setdatabase = " + database + ")");
        // A clone gets its own copies of the template's shared dependencies (new row versions): compared by meaning.
        parts.add("(SELECT md5(coalesce(string_agg(concat_ws(',', classid, objid, objsubid, refclassid, refobjid,"
                + " deptype), ';' ORDER BY classid, objid, objsubid, refclassid, refobjid, deptype), ''))"
                + " FROM pg_catalog.pg_shdepend WHERE dbid = " + database + ")");
        parts.add("(SELECT md5(concat_ws(',', datdba, encoding, datconnlimit, datallowconn, datistemplate,"
                + " datacl::text, dattablespace)) FROM pg_catalog.pg_database WHERE datname = current_database())");
        parts.add("(SELECT count(*) FROM pg_catalog.pg_prepared_xacts WHERE database = current_database())");
        return "SELECT concat_ws('|', " + String.join(", ", parts) + ")";
    }

    /**
     * Ends the other sessions on the database — all of them, or all but those of the application named
     * {@code keep} (the database's own pool) — and waits for each to be gone: the test's own pools and
     * connections could hold locks, temporary tables, listeners or an open transaction, and the fingerprint
     * must see what they leave behind.
     */
    private static void endOtherSessions(Connection connection, String keep) throws SQLException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        String others = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname ="
                + " current_database() AND pid <> pg_backend_pid()"
                + (keep == null ? "" : " AND application_name IS DISTINCT FROM '" + keep.replace("'", "''") + "'");
        try (Statement statement = connection.createStatement()) {
            while (true) {
                try (ResultSet rs = statement.executeQuery(others)) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new SQLException("sessions of the test did not end within 10 s");
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while ending the test's sessions", e);
                }
            }
        }
    }

    /** What {@link #checkAndReset} found and did. */
    enum Outcome {
        /** The database is back in the template's state. */
        RESET,
        /** The test changed the catalog: the database must not be reused. */
        CATALOG_CHANGED,
        /**
         * The test left temporary schemas that sessions still kept open may own: reset again with every other
         * session ended. Nothing was changed.
         */
        END_ALL_SESSIONS
    }

    /** Tables larger than this are emptied with TRUNCATE (cheap whatever the size); smaller ones with DELETE. */
    private static final long TRUNCATE_FROM_BYTES = 8L * 1024 * 1024;

    /**
     * Checks a used clone and resets it to the template's state: ends the other sessions on the database
     * (all, or all but the database's own pool's: {@code keep} names its application), compares the catalog's
     * fingerprint, and — only if it is unchanged — in one transaction empties the tables, copies the template's
     * rows back (without firing triggers or checking foreign keys: they held in the template), sets every
     * sequence to the template's value and drops the temporary schemas the test's sessions left.
     */
    Outcome checkAndReset(Connection connection, String keep) throws SQLException, IOException {
        endOtherSessions(connection, keep);
        if (!fingerprint.equals(fingerprint(connection))) {
            return Outcome.CATALOG_CHANGED;
        }
        if (keep != null && leftTemporarySchemas(connection)) {
            return Outcome.END_ALL_SESSIONS;
        }
        try (Statement statement = connection.createStatement()) {
            StringBuilder begin = new StringBuilder("BEGIN; SET LOCAL session_replication_role = replica;");
            begin.append(" DO $pgdbm_reset$ DECLARE temporary name; BEGIN");
            for (String table : tables) {
                String literal = "'" + table.replace("'", "''") + "'";
                begin.append(" IF pg_total_relation_size(")
                        .append(literal)
                        .append(") > ")
                        .append(TRUNCATE_FROM_BYTES)
                        .append(" THEN TRUNCATE ")
                        .append(table)
                        .append(" CASCADE;")
                        .append(" ELSE DELETE FROM ")
                        .append(table)
                        .append("; END IF;");
            }
            // the (empty) temporary schemas the test's sessions left behind
            begin.append(" FOR temporary IN SELECT nspname FROM pg_namespace WHERE nspname ~ '^pg_(toast_)?temp_'")
                    .append(" AND nspname <> ALL (ARRAY[");
            for (int i = 0; i < temporarySchemas.size(); i++) {
                begin.append(i == 0 ? "" : ", ")
                        .append('\'')
                        .append(temporarySchemas.get(i))
                        .append('\'');
            }
            begin.append("]::name[]) LOOP EXECUTE format('DROP SCHEMA %I', temporary); END LOOP;");
            begin.append(" END $pgdbm_reset$;");
            statement.execute(begin.toString());
            try {
                CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
                for (Seed seed : seeds) {
                    copy.copyIn(
                            "COPY " + seed.table() + " FROM STDIN (FORMAT binary)",
                            new ByteArrayInputStream(seed.rows()));
                }
                StringBuilder end = new StringBuilder();
                if (!sequences.isEmpty()) {
                    end.append("SELECT ");
                    for (int i = 0; i < sequences.size(); i++) {
                        SequenceValue sequence = sequences.get(i);
                        end.append(i == 0 ? "" : ", ")
                                .append("setval('")
                                .append(sequence.sequence().replace("'", "''"))
                                .append("', ")
                                .append(sequence.value())
                                .append(", ")
                                .append(sequence.called())
                                .append(')');
                    }
                    end.append("; ");
                }
                statement.execute(end.append("COMMIT").toString());
            } catch (SQLException | IOException | RuntimeException e) {
                statement.execute("ROLLBACK");
                throw e;
            }
        }
        return Outcome.RESET;
    }

    private boolean leftTemporarySchemas(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT nspname FROM pg_namespace" + " WHERE nspname ~ '^pg_(toast_)?temp_'")) {
            while (rs.next()) {
                if (!temporarySchemas.contains(rs.getString(1))) {
                    return true;
                }
            }
            return false;
        }
    }
}
