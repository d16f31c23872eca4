package com.example.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example app under 32 concurrent HTTP clients on loopback (a mix of writes, page reads and single reads),
 * warmed up, then steady, then with every database backend of the app terminated once mid-load. Bounded (~25 s).
 * Prints throughput, p50/p99, failed requests and recovery time (docs/reliability.md); asserts no error under
 * steady load, only 503 problem responses while the backends die, recovery, and no acknowledged write lost.
 */
class ExampleLoadTest {
    private static final int CLIENTS = 32;
    private static final Duration WARM_UP = Duration.ofSeconds(4);
    private static final Duration STEADY = Duration.ofSeconds(8);
    private static final Duration DISRUPTED = Duration.ofSeconds(8);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What one phase of load saw. */
    record Phase(long requests, long failures, Set<Integer> failureStatuses, long[] latenciesMicros, long millis) {
        double perSecond() {
            return requests * 1000.0 / millis;
        }

        double percentileMillis(double p) {
            if (latenciesMicros.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(p / 100.0 * latenciesMicros.length) - 1;
            return latenciesMicros[Math.max(0, Math.min(index, latenciesMicros.length - 1))] / 1000.0;
        }
    }

    @Test
    void steadyLoadHasNoErrorsAndLosingEveryBackendLosesNoAcknowledgedWrite() throws Exception {
        try (TestDatabase database = TestDatabaseFactory.shared().create();
                ConfigurableApplicationContext app = SpringApplication.run(
                        ExampleApplication.class,
                        "--server.port=0",
                        "--pgdbm.url=" + database.url(),
                        "--logging.level.io.pgdbm=ERROR",
                        "--logging.level.com.zaxxer=ERROR")) {
            String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger sequence = new AtomicInteger();
            for (int i = 0; i < 50; i++) { // something to read from the start
                post(base, "seed" + i + "@example.com", acknowledged);
            }

            Phase warmUp = load(base, WARM_UP, sequence, acknowledged, null);
            assertThat(warmUp.failures()).isZero();
            Phase steady = load(base, STEADY, sequence, acknowledged, null);
            report("steady", steady);
            assertThat(steady.failures()).as("no error under steady load").isZero();

            AtomicLong terminatedAt = new AtomicLong();
            AtomicLong lastFailureAt = new AtomicLong();
            Phase disrupted = load(
                    base,
                    DISRUPTED,
                    sequence,
                    acknowledged,
                    () -> {
                        terminatedAt.set(System.nanoTime());
                        int killed;
                        try {
                            killed = terminateBackends(database);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        System.out.println("terminated " + killed + " backends of the app");
                        assertThat(killed).isPositive();
                    },
                    lastFailureAt);
            report("every backend terminated once", disrupted);
            long recoveryMillis =
                    disrupted.failures() == 0 ? 0 : Math.max(0, (lastFailureAt.get() - terminatedAt.get()) / 1_000_000);
            System.out.printf("recovery: last failed request %d ms after the termination%n", recoveryMillis);
            assertThat(disrupted.failureStatuses())
                    .as("a request that loses its backend is answered 503 (Retry-After), nothing else")
                    .isSubsetOf(Set.of(503));

            // the app serves again, and every write it acknowledged is in the database
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/users?limit=1"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            Set<String> stored = new HashSet<>();
            try (Connection connection = database.server().connect(database.name());
                    PreparedStatement query = connection.prepareStatement("SELECT email FROM users.users");
                    ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
            }
            System.out.printf(
                    "acknowledged writes: %d, all stored: %s%n", acknowledged.size(), stored.containsAll(acknowledged));
            assertThat(stored).as("no acknowledged write lost").containsAll(acknowledged);
        }
    }

    private Phase load(String base, Duration length, AtomicInteger sequence, Set<String> acknowledged, Runnable midway)
            throws Exception {
        return load(base, length, sequence, acknowledged, midway, new AtomicLong());
    }

    private Phase load(
            String base,
            Duration length,
            AtomicInteger sequence,
            Set<String> acknowledged,
            Runnable midway,
            AtomicLong lastFailureAt)
            throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long started = System.nanoTime();
        long end = started + length.toNanos();
        AtomicLong failures = new AtomicLong();
        Set<Integer> statuses = ConcurrentHashMap.newKeySet();
        List<Future<List<Long>>> results = new ArrayList<>();
        // "under load": every client has sent a few requests
        java.util.concurrent.CountDownLatch underLoad = new java.util.concurrent.CountDownLatch(CLIENTS * 5);
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            results.add(clients.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    int status;
                    try {
                        status = switch (n++ % 4) {
                            case 0 -> post(base, "load" + sequence.incrementAndGet() + "@example.com", acknowledged);
                            case 1 -> get(base, "/users?limit=50&after=" + (client * 7));
                            default -> get(base, "/users/" + (1 + (n % 50)));
                        };
                    } catch (java.io.IOException e) {
                        status = -1;
                    }
                    long t1 = System.nanoTime();
                    underLoad.countDown();
                    latencies.add((t1 - t0) / 1000);
                    if (status >= 500 || status < 0) {
                        failures.incrementAndGet();
                        statuses.add(status);
                        lastFailureAt.accumulateAndGet(t1, Math::max);
                    }
                }
                return latencies;
            }));
        }
        if (midway != null) {
            assertThat(underLoad.await(length.toMillis() / 3, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .as("the clients are under way")
                    .isTrue();
            midway.run();
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> result : results) {
            all.addAll(result.get());
        }
        clients.shutdown();
        long millis = (System.nanoTime() - started) / 1_000_000;
        long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Phase(sorted.length, failures.get(), statuses, sorted, millis);
    }

    private int post(String base, String email, Set<String> acknowledged) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + "/users"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"email\": \"" + email + "\", \"name\": \"Load\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 201) {
            acknowledged.add(email);
        }
        return response.statusCode();
    }

    private int get(String base, String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static int terminateBackends(TestDatabase database) throws Exception {
        try (Connection admin = database.server().connect(database.server().adminDatabase());
                PreparedStatement kill = admin.prepareStatement("SELECT count(pg_terminate_backend(pid))"
                        + " FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            kill.setString(1, database.name());
            try (ResultSet rows = kill.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static void report(String name, Phase phase) {
        System.out.printf(
                "load (%s): %d requests in %d ms = %.0f req/s, p50 %.1f ms, p99 %.1f ms, failed %d %s%n",
                name,
                phase.requests(),
                phase.millis(),
                phase.perSecond(),
                phase.percentileMillis(50),
                phase.percentileMillis(99),
                phase.failures(),
                phase.failureStatuses());
    }
}
