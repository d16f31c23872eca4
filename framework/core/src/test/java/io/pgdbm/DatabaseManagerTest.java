package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class DatabaseManagerTest {
    private static DatabaseManager db;

    record User(long id, String email, String status, OffsetDateTime createdAt) {}

    public static final class UserBean {
        private long id;
        private String email;

        public long getId() {
            return id;
        }

        public void setId(long id) {
            this.id = id;
        }

        public String getEmail() {
            return email;
        }

        public void setEmail(String email) {
            this.email = email;
        }
    }

    enum Status {
        active,
        blocked
    }

    @BeforeAll
    static void createSchema(SharedPool pool) {
        db = pool.manager("verbs");
        db.ensureSchema();
        db.execute("CREATE TYPE {{schema}}.user_status AS ENUM ('active', 'blocked')");
        db.execute("""
                CREATE TABLE {{tables.users}} (
                    id bigserial PRIMARY KEY,
                    email text UNIQUE NOT NULL,
                    status {{schema}}.user_status NOT NULL DEFAULT 'active',
                    created_at timestamptz NOT NULL DEFAULT now()
                )""");
        db.execute("""
                CREATE TABLE {{tables.kinds}} (
                    id int PRIMARY KEY, u uuid, j jsonb, n numeric(12,2), d date, ts timestamptz,
                    b bytea, arr int[], flag boolean, txt text)""");
    }

    @BeforeEach
    void clean() {
        db.execute("TRUNCATE {{tables.users}}, {{tables.kinds}} RESTART IDENTITY");
    }

    @Test
    void executeReturnsAffectedRows() {
        assertThat(db.execute("INSERT INTO {{tables.users}} (email) VALUES ($1), ($2)", "a@x.io", "b@x.io"))
                .isEqualTo(2);
        assertThat(db.execute("UPDATE {{tables.users}} SET status = $1 WHERE email = $2", "blocked", "a@x.io"))
                .isEqualTo(1);
        assertThat(db.execute("DELETE FROM {{tables.users}} WHERE email = $1", "nobody"))
                .isZero();
        assertThat(db.execute("SELECT 1")).isZero();
    }

    @Test
    void fetchOneReturnsTheFirstRowOrEmpty() {
        db.execute("INSERT INTO {{tables.users}} (email) VALUES ($1), ($2)", "a@x.io", "b@x.io");
        Optional<Record> row = db.fetchOne("SELECT * FROM {{tables.users}} WHERE email = $1", "b@x.io");
        assertThat(row).isPresent();
        assertThat(row.get().get("email", String.class)).isEqualTo("b@x.io");
        assertThat(row.get().get("status", String.class)).isEqualTo("active");
        assertThat(row.get().get("created_at")).isInstanceOf(OffsetDateTime.class);
        assertThat(db.fetchOne("SELECT * FROM {{tables.users}} ORDER BY id")
                        .orElseThrow()
                        .get("email"))
                .isEqualTo("a@x.io");
        assertThat(db.fetchOne("SELECT * FROM {{tables.users}} WHERE email = $1", "none"))
                .isEmpty();
    }

    @Test
    void fetchAllReturnsEveryRowInOrder() {
        db.executeMany(
                "INSERT INTO {{tables.users}} (email) VALUES ($1)",
                List.of(List.of("c@x.io"), List.of("a@x.io"), List.of("b@x.io")));
        Result<Record> rows = db.fetchAll("SELECT email FROM {{tables.users}} ORDER BY email");
        assertThat(rows.getValues("email", String.class)).containsExactly("a@x.io", "b@x.io", "c@x.io");
        assertThat(db.fetchAll("SELECT * FROM {{tables.users}} WHERE false")).isEmpty();
    }

    @Test
    void rowsMapIntoJavaRecordsAndPojosByColumnName() {
        db.execute("INSERT INTO {{tables.users}} (email, status) VALUES ($1, $2)", "a@x.io", Status.blocked);
        User user = db.fetchOne(User.class, "SELECT * FROM {{tables.users}}").orElseThrow();
        // By name, not position: columns in another order, and one the record does not have.
        User reordered = db.fetchOne(
                        User.class, "SELECT created_at, 'extra' AS unused, status, email, id FROM {{tables.users}}")
                .orElseThrow();
        assertThat(reordered).isEqualTo(user);
        assertThat(user.email()).isEqualTo("a@x.io");
        assertThat(user.status()).isEqualTo("blocked");
        assertThat(user.createdAt()).isNotNull();
        List<UserBean> beans = db.fetchAll(UserBean.class, "SELECT id, email FROM {{tables.users}}");
        assertThat(beans).singleElement().satisfies(bean -> {
            assertThat(bean.getId()).isEqualTo(user.id());
            assertThat(bean.getEmail()).isEqualTo("a@x.io");
        });
        assertThat(db.fetchOne(User.class, "SELECT * FROM {{tables.users}} WHERE false"))
                .isEmpty();
    }

    @Test
    void fetchValueConvertsTheFirstColumnAndIsNullWithoutRows() {
        db.execute("INSERT INTO {{tables.users}} (email) VALUES ($1)", "a@x.io");
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.users}}"))
                .isEqualTo(1L);
        assertThat(db.fetchValue(Integer.class, "SELECT count(*) FROM {{tables.users}}"))
                .isEqualTo(1);
        assertThat(db.fetchValue(String.class, "SELECT email FROM {{tables.users}} WHERE false"))
                .isNull();
        assertThat(db.fetchValue(String.class, "SELECT NULL::text")).isNull();
    }

    @Test
    void commonTypesRoundTrip() {
        UUID uuid = UUID.randomUUID();
        OffsetDateTime ts = OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 123_456_000, ZoneOffset.UTC);
        byte[] bytes = {0, 1, 2, (byte) 255};
        db.execute(
                "INSERT INTO {{tables.kinds}} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                1,
                uuid,
                JSONB.valueOf("{\"k\": [1, 2]}"),
                new BigDecimal("12.34"),
                LocalDate.of(2024, 2, 29),
                ts,
                bytes,
                List.of(1, 2, 3),
                true,
                "plain");
        // Strings bind untyped, so the server casts them to the column types (asyncpg users expect this).
        db.execute(
                "INSERT INTO {{tables.kinds}} (id, u, j, d, ts) VALUES ($1, $2, $3, $4, $5)",
                2,
                uuid.toString(),
                "{\"s\": 1}",
                "2024-01-02",
                Instant.parse("2024-01-02T03:04:05Z"));
        Record row =
                db.fetchOne("SELECT * FROM {{tables.kinds}} WHERE id = $1", 1).orElseThrow();
        assertThat(row.get("u", UUID.class)).isEqualTo(uuid);
        assertThat(row.get("j", String.class)).isEqualTo("{\"k\": [1, 2]}");
        assertThat(row.get("n", BigDecimal.class)).isEqualByComparingTo("12.34");
        assertThat(row.get("d", LocalDate.class)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(row.get("ts", OffsetDateTime.class).toInstant()).isEqualTo(ts.toInstant());
        assertThat(row.get("b", byte[].class)).containsExactly(bytes);
        assertThat(row.get("arr", Integer[].class)).containsExactly(1, 2, 3);
        assertThat(row.get("flag", Boolean.class)).isTrue();
        Record second =
                db.fetchOne("SELECT * FROM {{tables.kinds}} WHERE id = 2").orElseThrow();
        assertThat(second.get("u", UUID.class)).isEqualTo(uuid);
        assertThat(second.get("ts", OffsetDateTime.class).toInstant()).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(db.fetchValue(
                        Integer.class,
                        "SELECT count(*)::int FROM {{tables.kinds}} WHERE id = ANY($1)",
                        List.of(1, 2, 3)))
                .isEqualTo(2);
    }

    @Test
    void executeManyRunsABatchAndCountsRows() {
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            rows.add(List.of("user" + i + "@x.io"));
        }
        assertThat(db.executeMany("INSERT INTO {{tables.users}} (email) VALUES ($1)", rows))
                .isEqualTo(2_500);
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.users}}"))
                .isEqualTo(2_500L);
    }

    @Test
    void executeManyRejectsAnArgumentListOfTheWrongLength() {
        assertThatThrownBy(() -> db.executeMany(
                        "INSERT INTO {{tables.users}} (email) VALUES ($1)",
                        List.of(List.of("a@x.io"), List.of("b@x.io", "extra"))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("argument list 2");
    }

    @Test
    void preparedQueriesRunManyTimes() {
        PreparedQuery insert = db.prepare("INSERT INTO {{tables.users}} (email) VALUES ($1) RETURNING id");
        PreparedQuery byEmail = db.prepare("SELECT * FROM {{tables.users}} WHERE email = $1");
        assertThat(byEmail.sql()).isEqualTo("SELECT * FROM \"verbs\".users WHERE email = ?");
        for (int i = 0; i < 10; i++) {
            Long id = insert.fetchValue(Long.class, "p" + i + "@x.io");
            assertThat(byEmail.fetchOne(User.class, "p" + i + "@x.io")
                            .orElseThrow()
                            .id())
                    .isEqualTo(id);
        }
        assertThat(db.prepare("SELECT count(*) FROM {{tables.users}}").fetchValue(Long.class))
                .isEqualTo(10L);
        assertThat(byEmail.fetchAll("p3@x.io")).hasSize(1);
        assertThatThrownBy(() -> byEmail.fetchOne()).isInstanceOf(QueryException.class);
    }

    @Test
    void tableExistsLooksInTheManagersSchemaOrANamedOne(SharedPool pool) {
        assertThat(db.tableExists("users")).isTrue();
        assertThat(db.tableExists("verbs.users")).isTrue();
        assertThat(db.tableExists("nope")).isFalse();
        assertThat(pool.manager("other_schema").tableExists("users")).isFalse();
        assertThatThrownBy(() -> db.tableExists("users; drop")).isInstanceOf(IdentifierException.class);
    }

    @Test
    void failedStatementsCarrySqlStateSqlAndArguments() {
        db.execute("INSERT INTO {{tables.users}} (email) VALUES ($1)", "dup@x.io");
        QueryException error = org.assertj.core.api.Assertions.catchThrowableOfType(
                QueryException.class, () -> db.execute("INSERT INTO {{tables.users}} (email) VALUES ($1)", "dup@x.io"));
        assertThat(error.sqlState()).contains("23505");
        assertThat(error.sql()).contains("INSERT INTO \"verbs\".users (email) VALUES ($1)");
        assertThat(error.parameters()).containsExactly("'dup@x.io'");
        assertThat(error.getMessage())
                .contains("duplicate key")
                .contains("23505")
                .contains("\"verbs\".users");
        assertThatThrownBy(() -> db.execute("SELECT * FROM {{tables.missing}}"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("42P01")
                .hasMessageContaining("have the module's migrations run?");
    }

    @Test
    void longArgumentsAreShortenedInMessages() {
        String longValue = "x".repeat(500);
        QueryException error = org.assertj.core.api.Assertions.catchThrowableOfType(
                QueryException.class, () -> db.execute("SELECT $1::int", longValue));
        assertThat(error.parameters())
                .singleElement()
                .satisfies(p -> assertThat(p).hasSizeLessThan(60).contains("500 chars"));
        assertThat(error.getMessage()).doesNotContain(longValue);
    }

    @Test
    void secretArgumentsAreMaskedButBound() {
        assertThat(db.fetchValue(String.class, "SELECT $1::text", Secret.of("s3cr3t-token")))
                .isEqualTo("s3cr3t-token");
        QueryException error = org.assertj.core.api.Assertions.catchThrowableOfType(
                QueryException.class, () -> db.execute("SELECT $1::int", Secret.of("s3cr3t-token")));
        assertThat(error.getMessage()).doesNotContain("s3cr3t-token").contains("***");
    }

    @Test
    void nullArgumentsBindAsSqlNull() {
        assertThat(db.fetchValue(Boolean.class, "SELECT $1::text IS NULL", (Object) null))
                .isTrue();
    }
}
