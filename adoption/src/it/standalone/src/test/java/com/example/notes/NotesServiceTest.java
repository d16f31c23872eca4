package com.example.notes;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.testing.PgdbmTest;
import io.pgdbm.testing.TestDatabase;
import org.junit.jupiter.api.Test;

@PgdbmTest
class NotesServiceTest {
    @Test
    void migratesAndCounts(TestDatabase database) {
        try (DatabaseManager db = DatabaseManager.connect(
                DatabaseConfig.builder().url(database.url()).schema("notes").build())) {
            assertThat(NotesService.run(db, "first")).isEqualTo(1);
            assertThat(NotesService.run(db, "second")).isEqualTo(2);
            assertThat(db.tableExists("notes_schema_history")).isTrue();
        }
    }
}
