package com.example.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.testing.PgdbmTest;
import io.pgdbm.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

@PgdbmTest
class NotesApplicationTest {
    @Test
    void startsMigratesAndServes(TestDatabase database) {
        try (ConfigurableApplicationContext app =
                SpringApplication.run(NotesApplication.class, "--pgdbm.url=" + database.url())) {
            NotesApplication.Notes notes = app.getBean(NotesApplication.Notes.class);
            notes.add("first");
            assertThat(notes.count()).isEqualTo(1);
            assertThat(database.manager("notes").tableExists("notes_schema_history")).isTrue();
        }
    }
}
