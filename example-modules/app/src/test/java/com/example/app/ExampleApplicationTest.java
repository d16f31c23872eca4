package com.example.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the app on a random port and runs the README's curl walkthrough with a real HTTP client. */
class ExampleApplicationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One curl command of the README and what it must answer. */
    record Step(String method, String path, String body, int status, List<String> expectedPairs) {}

    @Test
    void theReadmeWalkthroughRuns() throws Exception {
        List<Step> steps = walkthrough();
        assertThat(steps).hasSizeGreaterThan(10);
        try (TestDatabase database = TestDatabaseFactory.shared().create();
                ConfigurableApplicationContext app = SpringApplication.run(
                        ExampleApplication.class, "--server.port=0", "--pgdbm.url=" + database.url())) {
            String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
            for (Step step : steps) {
                HttpResponse<String> response = send(base, step);
                assertThat(response.statusCode())
                        .as("%s %s -> %s", step.method(), step.path(), response.body())
                        .isEqualTo(step.status());
                assertThat(response.body())
                        .as("%s %s", step.method(), step.path())
                        .contains(step.expectedPairs());
                if (step.status() >= 400) {
                    assertThat(response.headers().firstValue("Content-Type"))
                            .hasValueSatisfying(type -> assertThat(type).contains("application/problem+json"));
                }
            }
        }
    }

    @Test
    void listEndpointsPage() throws Exception {
        try (TestDatabase database = TestDatabaseFactory.shared().create();
                ConfigurableApplicationContext app = SpringApplication.run(
                        ExampleApplication.class, "--server.port=0", "--pgdbm.url=" + database.url())) {
            String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
            for (int i = 0; i < 5; i++) {
                String body = "{\"email\": \"page" + i + "@example.com\", \"name\": \"P" + i + "\"}";
                assertThat(send(base, new Step("POST", "/users", body, 201, List.of()))
                                .statusCode())
                        .isEqualTo(201);
            }
            List<String> seen = new ArrayList<>();
            String next = "/users?limit=2";
            int pages = 0;
            while (next != null) {
                HttpResponse<String> page = send(base, new Step("GET", next, null, 200, List.of()));
                assertThat(page.statusCode()).isEqualTo(200);
                Matcher emails = Pattern.compile("page\\d@example.com").matcher(page.body());
                int onPage = 0;
                while (emails.find()) {
                    seen.add(emails.group());
                    onPage++;
                }
                assertThat(onPage).isLessThanOrEqualTo(2);
                pages++;
                next = page.headers()
                        .firstValue("Link")
                        .map(link -> link.substring(link.indexOf('<') + 1, link.indexOf('>')))
                        .orElse(null);
            }
            assertThat(pages).as("2 + 2 + 1, the last page not full").isEqualTo(3);
            assertThat(seen)
                    .containsExactly(
                            "page0@example.com",
                            "page1@example.com",
                            "page2@example.com",
                            "page3@example.com",
                            "page4@example.com");
            HttpResponse<String> tooBig = send(base, new Step("GET", "/users?limit=501", null, 400, List.of()));
            assertThat(tooBig.statusCode()).isEqualTo(400);
            assertThat(tooBig.body()).contains("limit must be between 1 and 500");
        }
    }

    @Test
    void withoutADatabaseItStartsAnEmbeddedPostgresThatKeepsItsData(@TempDir Path data) throws Exception {
        assumeTrue(
                System.getenv("DATABASE_URL") == null && System.getenv("PGHOST") == null,
                "DATABASE_URL or PGHOST is set in this environment, so the app would use that server");
        String[] args = {"--server.port=0", "--" + EmbeddedPostgresDefault.DATA_DIRECTORY + "=" + data};
        try (ConfigurableApplicationContext app = SpringApplication.run(ExampleApplication.class, args)) {
            String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
            assertThat(app.getEnvironment().getProperty("pgdbm.url")).contains("/pgdbm_example");
            assertThat(send(
                                    base,
                                    new Step(
                                            "POST",
                                            "/users",
                                            "{\"email\": \"kept@example.com\", \"name\": \"Kept\"}",
                                            201,
                                            List.of()))
                            .statusCode())
                    .isEqualTo(201);
        }
        assertThat(data.resolve("PG_VERSION")).exists();
        // A restart on the same data directory finds the data.
        try (ConfigurableApplicationContext app = SpringApplication.run(ExampleApplication.class, args)) {
            String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> users = send(base, new Step("GET", "/users", null, 200, List.of()));
            assertThat(users.body()).contains("kept@example.com");
        }
    }

    @Test
    void theEmbeddedServerOutlivesRequestsInFlightAndStopsAfterThePool(@TempDir Path data) throws Exception {
        assumeTrue(
                System.getenv("DATABASE_URL") == null && System.getenv("PGHOST") == null,
                "DATABASE_URL or PGHOST is set in this environment, so the app would use that server");
        String[] args = {
            "--server.port=0", "--server.shutdown=graceful", "--" + EmbeddedPostgresDefault.DATA_DIRECTORY + "=" + data
        };
        SlowTestEndpoint.started = new java.util.concurrent.CountDownLatch(1);
        ConfigurableApplicationContext app = SpringApplication.run(ExampleApplication.class, args);
        java.util.concurrent.CompletableFuture<HttpResponse<String>> inFlight;
        try {
            assertThat(app.getBeanFactory().getDependentBeans(EmbeddedPostgresDefault.SERVER_BEAN))
                    .as("the pool and the data source are destroyed before the server")
                    .contains("pgdbmSharedPool");
            String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
            inFlight = HTTP.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + "/test-slow")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(SlowTestEndpoint.started.await(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            assertThat(data.resolve("postmaster.pid")).exists();
        } finally {
            app.close(); // graceful: waits for the request, then closes the pool, then stops the server
        }
        // the request that was running when shutdown began still had its database
        // (with the server stopped at the start of shutdown, it failed)
        HttpResponse<String> response = inFlight.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("slept ok");
        assertThat(data.resolve("postmaster.pid"))
                .as("the server stopped with the context")
                .doesNotExist();
    }

    private static HttpResponse<String> send(String base, Step step) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + step.path()));
        if (step.body() != null) {
            request.header("Content-Type", "application/json")
                    .method(step.method(), HttpRequest.BodyPublishers.ofString(step.body()));
        } else {
            request.method(step.method(), HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The curl commands between the walkthrough markers of README.md, each with its "# → status" line. */
    static List<Step> walkthrough() throws IOException {
        Path readme = repositoryRoot().resolve("README.md");
        String text = Files.readString(readme);
        String block =
                text.substring(text.indexOf("<!-- walkthrough:start -->"), text.indexOf("<!-- walkthrough:end -->"));
        List<Step> steps = new ArrayList<>();
        List<String> lines = block.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("curl ")) {
                continue;
            }
            String expectation = lines.get(i + 1).strip();
            Matcher status = Pattern.compile("# → (\\d{3})(.*)").matcher(expectation);
            assertThat(status.matches())
                    .as("line after %s says '# → <status> …'", line)
                    .isTrue();
            List<String> words = words(line);
            String method = "GET";
            String body = null;
            String url = null;
            for (int w = 1; w < words.size(); w++) {
                switch (words.get(w)) {
                    case "-s" -> {}
                    case "-X" -> method = words.get(++w);
                    case "-H" -> w++;
                    case "-d" -> body = words.get(++w);
                    default -> url = words.get(w);
                }
            }
            String path = url.substring(url.indexOf('/'));
            steps.add(new Step(method, path, body, Integer.parseInt(status.group(1)), scalarPairs(status.group(2))));
        }
        return steps;
    }

    /** {@code "key":"value"} and {@code "key":123} pairs of an expected body, leaving out elided ones (…). */
    private static List<String> scalarPairs(String expected) {
        List<String> pairs = new ArrayList<>();
        Matcher m = Pattern.compile("\"[A-Za-z]+\":(\"[^\"]*\"|-?[0-9][0-9.]*)").matcher(expected);
        while (m.find()) {
            if (!m.group().contains("…")) {
                pairs.add(m.group());
            }
        }
        return pairs;
    }

    /** Splits a command line into words, honouring single quotes as the shell does. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean started = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                started = true;
            } else if (c == ' ' && !quoted) {
                if (started) {
                    words.add(word.toString());
                    word.setLength(0);
                    started = false;
                }
            } else {
                word.append(c);
                started = true;
            }
        }
        if (started) {
            words.add(word.toString());
        }
        return words;
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve(".mvn"))) {
            dir = dir.getParent();
        }
        return dir;
    }
}
