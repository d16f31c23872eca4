package io.pgdbm.internal;

import static io.pgdbm.internal.StatementEffects.NONE;
import static io.pgdbm.internal.StatementEffects.SESSION;
import static io.pgdbm.internal.StatementEffects.TRANSACTION_CONTROL;
import static io.pgdbm.internal.StatementEffects.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatementEffectsTest {
    private static final Set<String> BUILTINS = Set.of(
            "count",
            "now",
            "lower",
            "set_config",
            "pg_advisory_lock",
            "pg_try_advisory_lock",
            "pg_advisory_xact_lock",
            "generate_series",
            "jsonb_build_object",
            "current_setting",
            "nextval",
            "numeric",
            "varchar");

    private static int effects(String sql) {
        return StatementEffects.of(sql, BUILTINS);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT * FROM \"users\".users WHERE id = $1",
                "INSERT INTO \"s\".t (a, b) VALUES ($1, now()) RETURNING id",
                "INSERT INTO t AS x (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = excluded.a",
                "UPDATE t SET (a, b) = (1, 2) WHERE c IN (1, 2)",
                "SELECT count(*) FILTER (WHERE x > 0) OVER (PARTITION BY y) FROM t",
                "SELECT coalesce(a, b), nullif(c, d), extract(epoch FROM now()), x::numeric(10, 2) FROM t",
                "SELECT CAST(x AS varchar(20)) FROM t",
                "SELECT g.n FROM generate_series(1, 3) g(n)",
                "SELECT * FROM t AS alias (a, b)",
                "WITH cte (a) AS (SELECT 1) SELECT a FROM cte",
                "CREATE TABLE IF NOT EXISTS t (id bigserial PRIMARY KEY, price numeric(10, 2), name character varying(20))",
                "CREATE INDEX i ON t (lower(name))",
                "CREATE UNIQUE INDEX CONCURRENTLY i ON s.t USING btree (a)",
                "ALTER TABLE t ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES u (id)",
                "CREATE OR REPLACE FUNCTION s.f(x int) RETURNS int LANGUAGE sql AS $$ SET x = 1; SELECT 1 $$",
                "SET LOCAL statement_timeout = 0",
                "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
                "SET CONSTRAINTS ALL DEFERRED",
                "SELECT set_config('app.tenant', $1, true)",
                "SELECT pg_catalog.set_config('app.tenant', 'a', TRUE)",
                "SELECT pg_advisory_xact_lock(1)",
                "SELECT 'SET search_path TO x; LISTEN y' AS text_only -- SET ROLE x",
                "ROLLBACK TO SAVEPOINT s1",
                "SELECT temp FROM readings WHERE temp > 20",
                "SELECT 1 INTO t",
                "COPY \"s\".t (a, b) FROM STDIN",
                "SELECT jsonb_build_object('a', 1) ? 'a'",
            })
    void plainWorkChangesNothingBeyondItsTransaction(String sql) {
        assertThat(effects(sql)).as(sql).isEqualTo(NONE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SET search_path TO a",
                "set statement_timeout = 0",
                "SET SESSION statement_timeout = 0",
                "SET ROLE limited",
                "SET SESSION AUTHORIZATION other",
                "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE",
                "SET TIME ZONE 'UTC'",
                "RESET statement_timeout",
                "SELECT set_config('app.tenant', 'a', false)",
                "SELECT set_config('app.tenant', 'a', $1)",
                "SELECT x FROM t WHERE set_config('a.b', 'c', false) IS NOT NULL",
                "SELECT pg_try_advisory_lock(1)",
                "select PG_ADVISORY_LOCK(1, 2)",
                "LISTEN channel",
                "DISCARD ALL",
                "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
                "CREATE TEMP TABLE scratch (x int)",
                "CREATE GLOBAL TEMPORARY TABLE scratch (x int)",
                "CREATE OR REPLACE TEMP VIEW v AS SELECT 1",
                "SELECT 1 INTO TEMP scratch",
                "CREATE TABLE pg_temp.scratch (x int)",
                "SELECT 1; SET search_path TO a",
                "WITH x AS (SELECT set_config('a.b', 'c', false)) SELECT * FROM x",
            })
    void sessionChangesAreSeen(String sql) {
        assertThat(effects(sql) & SESSION).as(sql).isEqualTo(SESSION);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT my_function(1)",
                "SELECT s.f()",
                "SELECT \"MyFunction\"()",
                "SELECT * FROM other_schema.rows_of(1)",
                "INSERT INTO t VALUES (leak())",
                "UPDATE t SET a = leak()",
                "DO $$ BEGIN PERFORM set_config('a.b', 'c', false); END $$",
                "CALL procedure_with_side_effects()",
                "PREPARE p AS SELECT 1",
                "EXECUTE p",
                "LOAD 'auto_explain'",
            })
    void workWhoseEffectCannotBeSeenCountsAsUnknown(String sql) {
        assertThat(effects(sql) & UNKNOWN).as(sql).isEqualTo(UNKNOWN);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "BEGIN",
                "begin; insert into t values (1); commit",
                "START TRANSACTION",
                "COMMIT",
                "END",
                "ROLLBACK",
                "ABORT",
                "PREPARE TRANSACTION 'x'",
                "COMMIT PREPARED 'x'",
                "/* comment */ COMMIT",
            })
    void transactionControlIsSeen(String sql) {
        assertThat(effects(sql) & TRANSACTION_CONTROL).as(sql).isEqualTo(TRANSACTION_CONTROL);
    }

    /**
     * SQL-standard routine bodies end with END and hold semicolons: the statement ends after the body, as psql
     * reads it, and nothing in it is transaction control; a COMMIT after the routine still is.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END",
                "create or replace procedure p() language sql begin atomic insert into t values (1); end;",
                "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC"
                        + " SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END; END; SELECT 1",
                "CREATE TABLE t (\"end\" int, c text DEFAULT 'begin; end;')",
            })
    void routineBodiesAreNotTransactionControl(String sql) {
        assertThat(effects(sql) & TRANSACTION_CONTROL).as(sql).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; COMMIT",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; END; END",
                "CREATE FUNCTION f() RETURNS int AS $$ begin return 1; end $$ LANGUAGE plpgsql; COMMIT",
            })
    void transactionControlAfterARoutineIsSeen(String sql) {
        assertThat(effects(sql) & TRANSACTION_CONTROL).as(sql).isEqualTo(TRANSACTION_CONTROL);
    }
}
