package com.example.notes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgdbm.DatabaseManager;
import io.pgdbm.testing.DualMode;
import io.pgdbm.testing.DualModeTest;
import io.pgdbm.testing.Fixtures;
import io.pgdbm.testing.InjectDatabase;
import io.pgdbm.testing.Isolation;
import io.pgdbm.testing.Migrations;
import io.pgdbm.testing.PgdbmTest;
import io.pgdbm.testing.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** What a user of pgdbm-testing writes, on whatever JUnit Jupiter the project uses. */
class NotesTest {

    @Nested
    @PgdbmTest
    @Migrations(location = "classpath:db/notes", module = "notes", schema = "notes")
    class PerMethod {
        @InjectDatabase
        DatabaseManager field;

        @Test
        void firstTestSeesAnEmptyMigratedDatabase(DatabaseManager notes) {
            assertEquals(0, Tables.count(notes, "notes"));
            new Notes(notes).add("ada", "hello");
            assertEquals(1, Tables.count(field, "notes"));
        }

        @Test
        void secondTestSeesAnEmptyMigratedDatabaseToo(DatabaseManager notes) {
            assertEquals(0, Tables.count(notes, "notes"));
            Fixtures.sql(notes, "classpath:fixtures/notes.sql");
            assertEquals(2, Tables.count(notes, "notes"));
        }
    }

    @Nested
    @PgdbmTest(isolation = Isolation.PER_CLASS)
    @Migrations(location = "classpath:db/notes", module = "notes", schema = "notes")
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class PerClass {
        @BeforeAll
        void seed(DatabaseManager notes) {
            Fixtures.sql(notes, "classpath:fixtures/notes.sql");
        }

        @Test
        @Order(1)
        void seesTheSeed(DatabaseManager notes) {
            assertEquals(2, Tables.count(notes, "notes"));
            new Notes(notes).add("carol", "third");
        }

        @Test
        @Order(2)
        void seesWhatTheFirstTestLeft(DatabaseManager notes) {
            assertEquals(3, Tables.count(notes, "notes"));
        }
    }

    @Nested
    @PgdbmTest(isolation = Isolation.ROLLBACK)
    @Migrations(location = "classpath:db/notes", module = "notes", schema = "notes")
    class Rollback {
        @Test
        void writesAreRolledBack(DatabaseManager notes) {
            new Notes(notes).add("dave", "gone afterwards");
            assertEquals(1, Tables.count(notes, "notes"));
        }

        @Test
        void andTheNextTestDoesNotSeeThem(DatabaseManager notes) {
            new Notes(notes).add("erin", "gone too");
            assertEquals(1, Tables.count(notes, "notes"));
        }
    }

    @Nested
    class DualModes {
        @DualModeTest
        void worksStandaloneAndAsALibrary(DualMode mode) {
            try (Notes notes = mode.open(Notes::new, Notes::new)) {
                notes.add("frank", "either way");
                assertEquals(1, notes.count());
            }
        }
    }
}
