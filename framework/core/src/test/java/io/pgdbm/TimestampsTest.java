package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class TimestampsTest {

    @Test
    void timestamptzValuesComeBackInUtcWhateverTheSessionTimeZone(TestDatabase database) {
        try (SharedPool pool = SharedPool.create(
                database.config().initSql("SET TimeZone = 'America/New_York'").build())) {
            DatabaseManager db = pool.manager();
            assertThat(db.fetchValue(String.class, "SHOW TimeZone")).isEqualTo("America/New_York");
            OffsetDateTime plain = db.fetchValue(OffsetDateTime.class, "SELECT '2024-06-01 12:00:00+02'::timestamptz");
            OffsetDateTime typed = db.dsl()
                    .select(DSL.field("'2024-06-01 12:00:00+02'::timestamptz", OffsetDateTime.class))
                    .fetchOne(0, OffsetDateTime.class);
            OffsetDateTime expected = OffsetDateTime.of(2024, 6, 1, 10, 0, 0, 0, ZoneOffset.UTC);
            assertThat(plain).isEqualTo(expected);
            assertThat(typed).isEqualTo(expected);
            // and what goes in keeps its instant
            OffsetDateTime sent = OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(9));
            assertThat(db.fetchValue(OffsetDateTime.class, "SELECT $1::timestamptz", sent)
                            .toInstant())
                    .isEqualTo(sent.toInstant());
        }
    }
}
