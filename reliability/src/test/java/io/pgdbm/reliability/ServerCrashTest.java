package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.ConnectionException;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.PgdbmException;
import io.pgdbm.SharedPool;
import io.pgdbm.postgres.EmbeddedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server is killed (SIGKILL, every process) under write load and restarted on the same data directory:
 * every commit the server acknowledged is there afterwards, calls in flight fail with a connection error
 * within the configured timeouts, and the same pool carries on without a restart of the application.
 */
class ServerCrashTest {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCrashTest.class);
    private static final int WRITERS = 4;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    record Failure(String type, String message, long millis) {}

    @Test
    void acknowledgedCommitsSurviveAKilledServerAndThePoolRecovers() throws Exception {
        Path data = dir.resolve("data");
        EmbeddedServer server = Servers.durable(data, 0);
        int port = server.port();
        DatabaseConfig config = DatabaseConfig.builder()
                .url(server.url("postgres"))
                .maxConnections(WRITERS + 2)
                .connectTimeout(CONNECT_TIMEOUT)
                .acquireTimeout(ACQUIRE_TIMEOUT)
                .statementTimeout(STATEMENT_TIMEOUT)
                .build();
        EmbeddedServer restarted = null;
        try (SharedPool pool = SharedPool.create(config)) {
            DatabaseManager db = pool.manager("crash");
            db.ensureSchema();
            db.execute("CREATE TABLE {{tables.writes}} (writer int, seq int, at timestamptz DEFAULT now(),"
                    + " PRIMARY KEY (writer, seq))");

            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            List<Failure> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong lastAck = new AtomicLong();
            AtomicLong longestCall = new AtomicLong();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                    int seq = 0;
                    while (!stop.get()) {
                        seq++;
                        long started = System.nanoTime();
                        try {
                            db.execute("INSERT INTO {{tables.writes}} (writer, seq) VALUES ($1, $2)", writer, seq);
                            acknowledged.add(((long) writer << 32) | seq);
                            lastAck.set(System.nanoTime());
                        } catch (PgdbmException e) {
                            failures.add(new Failure(
                                    e.getClass().getSimpleName(),
                                    e.getMessage(),
                                    (System.nanoTime() - started) / 1_000_000));
                            sleep(20);
                        } finally {
                            longestCall.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
                        }
                    }
                }));
            }

            sleep(1500);
            int beforeCrash = acknowledged.size();
            Servers.kill(server);
            long killedAt = System.nanoTime();
            sleep(1000); // the server stays down: calls fail meanwhile
            Servers.forget(server);
            restarted = Servers.durable(data, port);
            long restartedAt = System.nanoTime();
            long deadline = restartedAt + Duration.ofSeconds(30).toNanos();
            while (lastAck.get() < restartedAt && System.nanoTime() < deadline) {
                sleep(10);
            }
            long recoveredAt = lastAck.get();
            sleep(1000);
            stop.set(true);
            for (Thread writer : writers) {
                writer.join(30_000);
                assertThat(writer.isAlive()).as("%s finished", writer.getName()).isFalse();
            }

            assertThat(recoveredAt).as("a write succeeded after the restart").isGreaterThan(restartedAt);
            Set<Long> stored = new HashSet<>();
            for (Record row : db.fetchAll("SELECT writer, seq FROM {{tables.writes}}")) {
                stored.add(((long) row.get("writer", Integer.class) << 32) | row.get("seq", Integer.class));
            }
            Set<Long> lost = new HashSet<>(acknowledged);
            lost.removeAll(stored);
            LOG.info(
                    "Server crash: {} commits acknowledged ({} before the kill), {} rows found, {} lost; {} failed"
                            + " calls (longest call {} ms); restart took {} ms, first write after it {} ms later",
                    acknowledged.size(),
                    beforeCrash,
                    stored.size(),
                    lost.size(),
                    failures.size(),
                    longestCall.get(),
                    (restartedAt - killedAt) / 1_000_000,
                    (recoveredAt - restartedAt) / 1_000_000);
            assertThat(lost).as("acknowledged commits missing after the crash").isEmpty();
            assertThat(beforeCrash).isPositive();
            assertThat(acknowledged.size()).isGreaterThan(beforeCrash);
            assertThat(failures)
                    .as("calls made while the server was down failed")
                    .isNotEmpty();
            assertThat(failures).allSatisfy(f -> {
                assertThat(f.type()).isEqualTo(ConnectionException.class.getSimpleName());
                assertThat(f.millis())
                        .isLessThan(CONNECT_TIMEOUT
                                .plus(ACQUIRE_TIMEOUT)
                                .plus(STATEMENT_TIMEOUT)
                                .toMillis());
            });
            assertThat(longestCall.get())
                    .as("no call hung")
                    .isLessThan(CONNECT_TIMEOUT
                            .plus(ACQUIRE_TIMEOUT)
                            .plus(STATEMENT_TIMEOUT)
                            .toMillis());
            assertThat(pool.stats().active()).as("connections leaked").isZero();
            assertThat(db.fetchValue(Integer.class, "SELECT 1")).isEqualTo(1);
        } finally {
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
