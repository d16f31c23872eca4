package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The configured password never shows in toString, exception messages or logs (captured at TRACE). */
@ExtendWith(PostgresExtension.class)
class SecretsTest {
    // The test server trusts local connections, so any password logs in; what matters is where it shows.
    private static final String PASSWORD = "Sup3r-Secret-Pa55word";

    @Test
    void thePasswordAppearsNowhere(TestDatabase database) {
        List<String> seen = new ArrayList<>();
        try (LogCapture logs = new LogCapture()) {
            DatabaseConfig config = database.config().password(PASSWORD).build();
            seen.add(config.toString());
            seen.add(config.describe());
            try (SharedPool pool = SharedPool.create(config)) {
                DatabaseManager db = pool.manager("secrets");
                seen.add(pool.toString());
                seen.add(db.toString());
                db.ensureSchema();
                db.execute("CREATE TABLE {{tables.t}} (id int PRIMARY KEY, v text)");
                seen.add(message(() -> db.execute("INSERT INTO {{tables.t}} VALUES ($1, $2), ($1, $2)", 1, PASSWORD)));
                seen.add(message(() -> db.execute("SELECT $1::int", PASSWORD)));
                seen.add(message(() -> db.execute("SELECT '" + PASSWORD + "'::int")));
                seen.add(message(() -> db.transaction(tx -> tx.execute("SELECT $1::int", PASSWORD))));
                seen.add(message(() -> DatabaseConfig.builder()
                        .url("postgresql://u:" + PASSWORD + "@h/db?nope=1")
                        .build()));
                seen.add(message(() -> DatabaseConfig.builder().url("jdbc:mysql://h/db?password=" + PASSWORD)));
            }
            seen.add(message(() ->
                    SharedPool.create(config.toBuilder().database("missing_db").build())));
            seen.addAll(logs.messages());
            // The capture really saw the pool's DEBUG configuration dump, where a password could show.
            assertThat(logs.messages())
                    .anyMatch(m -> m.startsWith("com.zaxxer.hikari") && m.contains("dataSourceProperties"));
        }
        assertThat(seen).hasSizeGreaterThan(10);
        assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(PASSWORD));
    }

    private static String message(Runnable action) {
        Throwable thrown = catchThrowable(action::run);
        assertThat(thrown).isInstanceOf(PgdbmException.class);
        StringBuilder all = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    /** Everything a failure shows: the message and causes of every exception in the chain, suppressed too. */
    private static String everything(Throwable thrown) {
        StringBuilder all = new StringBuilder();
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
        todo.add(thrown);
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (t == null || !seen.add(t)) {
                continue;
            }
            all.append(t).append('\n');
            if (t instanceof java.sql.SQLException sql && sql.getNextException() != null) {
                todo.add(sql.getNextException());
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(List.of(t.getSuppressed()));
        }
        return all.toString();
    }

    @Test
    void aSecretIsNotShownWhenABatchOrACopyFailsNorWhenTheServerEchoesIt(SharedPool pool) {
        DatabaseManager db = pool.manager("secret_rows");
        db.ensureSchema();
        db.execute("CREATE TABLE IF NOT EXISTS {{tables.tokens}} (token text PRIMARY KEY, n int)");
        String token = "tok-8c1f2b";
        db.execute("INSERT INTO {{tables.tokens}} VALUES ($1, 1) ON CONFLICT DO NOTHING", Secret.of(token));

        Throwable batch = catchThrowable(() -> db.executeMany(
                "INSERT INTO {{tables.tokens}} VALUES ($1, $2)",
                List.of(List.of(Secret.of("other-1"), 2), List.of(Secret.of(token), 3))));
        assertThat(batch).isInstanceOf(QueryException.class).hasMessageContaining("argument list 2");
        assertThat(everything(batch)).contains("23505").doesNotContain(token).doesNotContain("other-1");

        Throwable copy = catchThrowable(() -> db.copyRecords(
                "tokens",
                List.of("token", "n"),
                List.of(List.of(Secret.of("copy-9"), 4), List.of(Secret.of(token), 5))));
        assertThat(copy).isInstanceOf(QueryException.class);
        assertThat(everything(copy)).contains("23505").doesNotContain(token).doesNotContain("copy-9");

        // a long value that is not a Secret is shown by its length only, also where the server echoes it
        String longValue = "a-long-value-that-could-be-an-api-key-0123456789";
        Throwable echoed = catchThrowable(() ->
                db.copyRecords("tokens", List.of("token", "n"), List.of(List.of(longValue, 6), List.of(longValue, 7))));
        assertThat(everything(echoed)).doesNotContain(longValue).contains("<" + longValue.length() + " chars>");
        Throwable argument = catchThrowable(() -> db.execute("SELECT $1::int", longValue));
        assertThat(everything(argument)).doesNotContain(longValue);
        assertThat(((QueryException) argument).parameters()).containsExactly("<" + longValue.length() + " chars>");
    }

    @Test
    void urlPasswordsWithReservedCharactersAreReadOrRefusedWithoutShowingThem() {
        for (String password :
                List.of("Zq7@Mn5x", "Zq7/Xw9k", "Zq7?Kp3w", "Zq7#Rt1v", "Zq7/W@q?Z#x", "Zq7%zzQ", "Zq7:Yb2")) {
            String url = "postgresql://app:" + password + "@127.0.0.1:5432/appdb";
            Throwable thrown = catchThrowable(() -> {
                DatabaseConfig config = DatabaseConfig.builder().url(url).build();
                assertThat(config.password()).contains(password);
                assertThat(config.host()).isEqualTo("127.0.0.1");
                assertThat(config.database()).contains("appdb");
                assertThat(config.toString()).doesNotContain(password);
            });
            if (thrown != null) {
                assertThat(thrown).as(password).isInstanceOf(ConfigurationException.class);
                String shown = everything(thrown);
                for (int i = 0; i + 3 <= password.length(); i++) {
                    assertThat(shown)
                            .as("%s shows a piece of the password", password)
                            .doesNotContain(password.substring(i, i + 3));
                }
            }
        }
        // '@' in a password is read as Python's pgdbm reads it: the user information runs to the last '@'
        assertThat(DatabaseConfig.builder()
                        .url("postgresql://app:p@ss@db.example:6543/x")
                        .build()
                        .password())
                .contains("p@ss");
    }

    @Test
    void passwordLiteralsAreMaskedInEveryQuotingForm(SharedPool pool) {
        DatabaseManager db = pool.manager();
        String[] forms = {
            "'Sec-1x'", "E'Sec-1x'", "$$Sec-1x$$", "$tag$Sec-1x$tag$", "U&'Sec-1x'", "e'Sec\\'1x'",
        };
        for (String literal : forms) {
            String sql = "ALTER ROLE no_such_role_here WITH PASSWORD " + literal;
            Throwable thrown = catchThrowable(() -> db.execute(sql));
            assertThat(thrown).as(literal).isInstanceOf(QueryException.class);
            assertThat(everything(thrown)).as(literal).doesNotContain("Sec-1x").doesNotContain("Sec\\'1x");
            assertThat(((QueryException) thrown).sql().orElseThrow()).contains("PASSWORD '***'");
        }
        assertThat(io.pgdbm.internal.Masking.maskPasswordLiterals(
                        "SELECT dblink_connect('host=db user=x password=Sec-1x dbname=y')"))
                .doesNotContain("Sec-1x");
    }
}
