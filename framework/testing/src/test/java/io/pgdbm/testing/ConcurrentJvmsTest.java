package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.postgres.PostgresServer;
import io.pgdbm.postgres.PostgresServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several test JVMs on one machine (parallel Maven modules, surefire forks) share one server and one set of
 * migrations: the template is built once, by one of them, while the others wait for it; no database is ever
 * handed to two JVMs; and no JVM's start-up sweep drops another's live databases.
 */
class ConcurrentJvmsTest {
    private static final int JVMS = 3;
    private static final int TESTS_PER_JVM = 12;

    @Test
    void jvmsShareTheTemplateButNeverADatabase(@TempDir Path dir) throws Exception {
        // A migration no template holds yet (its folder is new), slow enough that the JVMs meet while it runs.
        // Every clone records which session built its template.
        Files.writeString(dir.resolve("001_built.sql"), """
                CREATE TABLE {{tables.built}} AS SELECT pg_backend_pid() AS pid, txid_current() AS tx;
                SELECT pg_sleep(1);
                CREATE TABLE {{tables.claims}} (jvm int NOT NULL, test int NOT NULL);
                """);
        PostgresServer server = PostgresServers.shared();
        List<Process> processes = new ArrayList<>();
        for (int jvm = 0; jvm < JVMS; jvm++) {
            ProcessBuilder builder = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    Child.class.getName(),
                    dir.toString(),
                    Integer.toString(jvm),
                    Integer.toString(TESTS_PER_JVM));
            builder.environment().put(PostgresServers.URL_VARIABLE, server.url(server.adminDatabase()));
            builder.environment().remove(PostgresServers.PROVIDER_VARIABLE);
            builder.redirectErrorStream(true);
            processes.add(builder.start());
        }
        Map<Integer, List<String>> output = new HashMap<>();
        for (int jvm = 0; jvm < JVMS; jvm++) {
            Process process = processes.get(jvm);
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).as("JVM %d:%n%s", jvm, text).isZero();
            output.put(
                    jvm, text.lines().filter(line -> line.startsWith("RESULT ")).toList());
        }

        Set<String> builders = new HashSet<>();
        Map<String, Integer> owner = new HashMap<>();
        for (Map.Entry<Integer, List<String>> jvm : output.entrySet()) {
            assertThat(jvm.getValue()).as("JVM %d's tests", jvm.getKey()).hasSize(TESTS_PER_JVM);
            for (String line : jvm.getValue()) {
                String[] fields = line.split(" "); // RESULT <database> <builder pid/tx>
                builders.add(fields[2]);
                Integer previous = owner.putIfAbsent(fields[1], jvm.getKey());
                assertThat(previous == null || previous.equals(jvm.getKey()))
                        .as("database %s handed to JVM %s and JVM %d", fields[1], previous, jvm.getKey())
                        .isTrue();
            }
        }
        assertThat(builders).as("sessions that built the template").hasSize(1);
    }

    /** One test JVM: takes databases one after another, as a suite's tests do. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            MigrationSpec spec = MigrationSpec.of(args[0], "shared", "shared");
            int jvm = Integer.parseInt(args[1]);
            int tests = Integer.parseInt(args[2]);
            try (TestDatabaseFactory factory =
                    TestDatabaseFactory.builder().prefetch(1).build()) {
                for (int test = 0; test < tests; test++) {
                    try (TestDatabase db = factory.create(spec)) {
                        var manager = db.manager();
                        long claimed = manager.fetchValue(Long.class, "SELECT count(*) FROM {{tables.claims}}");
                        if (claimed != 0) {
                            throw new IllegalStateException(db.name() + " was handed out with " + claimed + " claims");
                        }
                        manager.execute("INSERT INTO {{tables.claims}} (jvm, test) VALUES ($1, $2)", jvm, test);
                        String builder =
                                manager.fetchValue(String.class, "SELECT pid || '/' || tx FROM {{tables.built}}");
                        System.out.println("RESULT " + db.name() + " " + builder);
                    }
                }
            }
        }
    }
}
