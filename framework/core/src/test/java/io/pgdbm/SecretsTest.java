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
}
