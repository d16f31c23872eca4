package io.pgdbm.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Requests that fail on a real database, answered as problem details. */
class PgdbmProblemDetailsTest {
    private TestDatabase database;
    private WebApplicationContextRunner runner;

    @RestController
    static class Notes {
        private final DatabaseManager db;

        Notes(@Qualifier("notes") DatabaseManager db) {
            this.db = db;
        }

        @GetMapping("/add/{title}")
        String add(@PathVariable String title) {
            db.execute("INSERT INTO {{tables.notes}} (title) VALUES ($1)", title);
            return "ok";
        }

        @GetMapping("/typed/{title}")
        String typed(@PathVariable String title) {
            db.dsl()
                    .insertInto(DSL.table(DSL.name("notes")), DSL.field(DSL.name("title")))
                    .values(title)
                    .execute();
            return "ok";
        }

        @GetMapping("/number/{text}")
        Integer number(@PathVariable String text) {
            return db.fetchValue(Integer.class, "SELECT $1::int", text);
        }

        @GetMapping("/lost")
        String lost() {
            db.execute("SELECT pg_terminate_backend(pg_backend_pid())");
            return "unreachable";
        }

        @GetMapping("/syntax")
        String syntax() {
            db.execute("SELEC 1");
            return "unreachable";
        }

        @GetMapping("/mine")
        String mine() {
            throw new MyException();
        }
    }

    static class MyException extends io.pgdbm.ConfigurationException {
        private static final long serialVersionUID = 1L;

        MyException() {
            super("the application's own");
        }
    }

    @RestControllerAdvice
    static class OwnHandlers {
        @ExceptionHandler(MyException.class)
        ProblemDetail mine(MyException e) {
            return ProblemDetail.forStatus(HttpStatus.GONE);
        }
    }

    @BeforeEach
    void database() {
        database = TestDatabaseFactory.shared().create();
        runner = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        PgdbmAutoConfiguration.class,
                        PgdbmWebConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class,
                        JacksonAutoConfiguration.class,
                        HttpMessageConvertersAutoConfiguration.class,
                        WebMvcAutoConfiguration.class))
                .withUserConfiguration(Notes.class, OwnHandlers.class)
                .withPropertyValues(
                        "pgdbm.url=" + database.url(),
                        "pgdbm.max-connections=3",
                        "pgdbm.modules.notes.migrations=classpath:db/notes",
                        "pgdbm.web.problem-details.retry-after=3s");
    }

    @AfterEach
    void drop() {
        database.close();
    }

    @Test
    void eachKindOfFailureGetsItsStatus() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
            assertThat(get(mvc, "/add/first").getResponse().getStatus()).isEqualTo(200);

            MvcResult duplicate = get(mvc, "/add/first");
            assertThat(duplicate.getResponse().getStatus()).isEqualTo(409);
            assertThat(duplicate.getResponse().getContentType()).contains("application/problem+json");
            String body = duplicate.getResponse().getContentAsString();
            assertThat(body).contains("\"sqlState\":\"23505\"").contains("\"reason\":\"duplicate\"");
            assertThat(body)
                    .as("no SQL or server message reaches the client")
                    .doesNotContain("INSERT")
                    .doesNotContain("notes_title_key")
                    .doesNotContain("already exists")
                    .doesNotContain("Key (title)");

            assertThat(get(mvc, "/typed/first").getResponse().getStatus())
                    .as("jOOQ's DataAccessException from dsl() too")
                    .isEqualTo(409);
            assertThat(get(mvc, "/add/" + "x".repeat(50)).getResponse().getStatus())
                    .as("a value the column refuses (check)")
                    .isEqualTo(400);
            assertThat(get(mvc, "/number/seven").getResponse().getStatus())
                    .as("a value of the wrong format")
                    .isEqualTo(400);

            MvcResult lost = get(mvc, "/lost");
            assertThat(lost.getResponse().getStatus()).isEqualTo(503);
            assertThat(lost.getResponse().getHeader("Retry-After")).isEqualTo("3");
            assertThat(get(mvc, "/add/second").getResponse().getStatus())
                    .as("the pool recovers")
                    .isEqualTo(200);

            assertThat(get(mvc, "/syntax").getResponse().getStatus()).isEqualTo(500);
            assertThat(get(mvc, "/syntax").getResponse().getContentAsString()).doesNotContain("SELEC");
            assertThat(get(mvc, "/mine").getResponse().getStatus())
                    .as("the application's own handlers come first")
                    .isEqualTo(410);
        });
    }

    @Test
    void canBeTurnedOff() {
        runner.withPropertyValues("pgdbm.web.problem-details.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(PgdbmProblemDetails.class);
        });
    }

    @Test
    void aBusyPoolIsUnavailable() {
        assertThat(PgdbmProblemDetails.classify(new io.pgdbm.ConnectionException("No connection became free", null))
                        .status())
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(PgdbmProblemDetails.classify(new io.pgdbm.QueryException("timeout", "57014", "SELECT", null, null))
                        .status())
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(PgdbmProblemDetails.classify(new io.pgdbm.QueryException("fk", "23503", "INSERT", null, null))
                        .status())
                .isEqualTo(HttpStatus.CONFLICT);
    }

    private static MvcResult get(MockMvc mvc, String path) throws Exception {
        return mvc.perform(MockMvcRequestBuilders.get(path)).andReturn();
    }
}
