package com.example.app;

// tag::app[]
import io.pgdbm.DatabaseManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@SpringBootApplication
public class NotesApplication {
    public static void main(String[] args) {
        SpringApplication.run(NotesApplication.class, args);
    }

    /** The notes module: its manager (schema notes) is migrated before this bean is made. */
    @Service
    public static class Notes {
        private final DatabaseManager db;

        public Notes(@Qualifier("notes") DatabaseManager db) {
            this.db = db;
        }

        @Transactional
        public long add(String body) {
            return db.fetchValue(Long.class, "INSERT INTO {{tables.notes}} (body) VALUES ($1) RETURNING id", body);
        }

        public long count() {
            return db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.notes}}");
        }
    }
}
// end::app[]
