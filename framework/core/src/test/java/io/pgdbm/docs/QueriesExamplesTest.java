package io.pgdbm.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgdbm.DatabaseManager;
import io.pgdbm.PostgresExtension;
import io.pgdbm.PreparedQuery;
import io.pgdbm.QueryException;
import io.pgdbm.SharedPool;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The examples of docs/queries.md, run against a real server. */
@ExtendWith(PostgresExtension.class)
class QueriesExamplesTest {
    private static DatabaseManager db;

    // tag::record[]
    record User(long id, String email, OffsetDateTime createdAt) {}
    // end::record[]

    @BeforeAll
    static void setUp(SharedPool pool) {
        db = pool.manager("shop");
        db.ensureSchema();
        db.execute("CREATE TABLE {{tables.users}} (id bigserial PRIMARY KEY, email text UNIQUE NOT NULL,"
                + " created_at timestamptz NOT NULL DEFAULT now(), prefs jsonb NOT NULL DEFAULT '{}')");
        db.execute(
                "CREATE TABLE {{tables.orders}} (id bigserial PRIMARY KEY, user_id bigint NOT NULL, total numeric NOT NULL)");
        db.execute("CREATE TABLE {{tables.events}} (user_id bigint, kind text, payload text)");
    }

    @Test
    void verbs() {
        // tag::verbs[]
        db.execute("INSERT INTO {{tables.users}} (email) VALUES ($1)", "ada@example.com");
        long id = db.fetchValue(Long.class, "SELECT id FROM {{tables.users}} WHERE email = $1", "ada@example.com");

        Optional<Record> row = db.fetchOne("SELECT * FROM {{tables.users}} WHERE id = $1", id);
        String email = row.map(r -> r.get("email", String.class)).orElseThrow();

        Optional<User> user = db.fetchOne(User.class, "SELECT * FROM {{tables.users}} WHERE id = $1", id);
        List<User> all = db.fetchAll(User.class, "SELECT * FROM {{tables.users}} ORDER BY id");

        // Strings bind untyped, so the server casts them: here to jsonb.
        db.execute("UPDATE {{tables.users}} SET prefs = $1 WHERE id = $2", "{\"theme\": \"dark\"}", id);
        // The JSONB ? operator is not a placeholder.
        boolean dark = db.fetchValue(Boolean.class, "SELECT prefs ? 'theme' FROM {{tables.users}} WHERE id = $1", id);
        // end::verbs[]
        assertThat(email).isEqualTo("ada@example.com");
        assertThat(user).isPresent();
        assertThat(all).extracting(User::email).contains("ada@example.com");
        assertThat(all).allSatisfy(u -> assertThat(u.createdAt()).isNotNull());
        assertThat(dark).isTrue();
    }

    @Test
    void transactions() {
        long userId = db.fetchValue(
                Long.class, "INSERT INTO {{tables.users}} (email) VALUES ($1) RETURNING id", "tx@example.com");
        // tag::transaction[]
        long orderId = db.transactionResult(tx -> {
            long id = tx.fetchValue(
                    Long.class,
                    "INSERT INTO {{tables.orders}} (user_id, total) VALUES ($1, $2) RETURNING id",
                    userId,
                    42);
            try {
                tx.transaction(
                        savepoint -> { // nested: a savepoint
                            savepoint.execute(
                                    "INSERT INTO {{tables.events}} (user_id, kind) VALUES ($1, $2)", userId, "ordered");
                            throw new IllegalStateException("the event sink is down");
                        });
            } catch (IllegalStateException e) {
                // only the savepoint rolled back; the order stays in the transaction
            }
            return id;
        }); // committed here; an exception escaping the lambda would roll everything back
        // end::transaction[]
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.orders}} WHERE id = $1", orderId))
                .isEqualTo(1L);
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.events}} WHERE user_id = $1", userId))
                .isZero();
    }

    @Test
    void bulkAndPrepared() {
        long userId = db.fetchValue(
                Long.class, "INSERT INTO {{tables.users}} (email) VALUES ($1) RETURNING id", "bulk@example.com");
        // tag::bulk[]
        // COPY: the fastest way in; any text (tabs, newlines, backslashes, Unicode) arrives unchanged.
        long loaded = db.copyRecords(
                "events",
                List.of("user_id", "kind", "payload"),
                List.of(List.of(userId, "click", "button\tA"), List.of(userId, "view", "line one\nline two")));

        // A JDBC batch, one statement many times.
        db.executeMany(
                "INSERT INTO {{tables.events}} (user_id, kind) VALUES ($1, $2)",
                List.of(List.of(userId, "a"), List.of(userId, "b")));

        // Processed once, run many times.
        PreparedQuery countByKind = db.prepare("SELECT count(*) FROM {{tables.events}} WHERE kind = $1");
        long clicks = countByKind.fetchValue(Long.class, "click");
        // end::bulk[]
        assertThat(loaded).isEqualTo(2);
        assertThat(clicks).isEqualTo(1);
    }

    @Test
    void errors() {
        db.execute("INSERT INTO {{tables.users}} (email) VALUES ($1)", "dup@example.com");
        // tag::errors[]
        try {
            db.execute("INSERT INTO {{tables.users}} (email) VALUES ($1)", "dup@example.com");
        } catch (QueryException e) {
            String state = e.sqlState().orElse(""); // "23505": unique_violation
            String sql = e.sql().orElse(""); // INSERT INTO "shop".users (email) VALUES ($1)
            List<String> arguments = e.parameters(); // ['dup@example.com']; text over 20 characters as its length
            // end::errors[]
            assertThat(state).isEqualTo("23505");
            assertThat(sql).isEqualTo("INSERT INTO \"shop\".users (email) VALUES ($1)");
            assertThat(arguments).containsExactly("'dup@example.com'");
            // tag::errors[]
        }
        // end::errors[]
        QueryException e = catchThrowableOfType(
                QueryException.class,
                () -> db.execute("INSERT INTO {{tables.users}} (email) VALUES ($1)", "dup@example.com"));
        assertThat(e.getMessage()).contains("duplicate key value violates unique constraint");
    }
}
