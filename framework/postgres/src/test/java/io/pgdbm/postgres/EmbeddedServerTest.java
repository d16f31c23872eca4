package io.pgdbm.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class EmbeddedServerTest {

    @Test
    void startsAServerThatAnswersQueriesAndDeletesItsDataOnClose() throws Exception {
        EmbeddedServer server = PostgresServers.embedded().fastAndUnsafe().start();
        try (server;
                Connection connection = server.connect("postgres");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT current_setting('server_version_num')::int, current_setting('fsync')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(170000);
            assertThat(rs.getString(2)).isEqualTo("off");
            assertThat(server.postmasterPid()).isPositive();
            assertThat(server.kind()).isEqualTo(PostgresServer.Kind.EMBEDDED);
        }
        assertThat(Files.exists(server.dataDirectory())).isFalse();
    }

    @Test
    void theServersOutputIsDebugAndItsWarningsPassThrough() throws Exception {
        ch.qos.logback.classic.Logger serverLog =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.pgdbm.postgres.server");
        ch.qos.logback.classic.Level level = serverLog.getLevel();
        serverLog.setLevel(ch.qos.logback.classic.Level.DEBUG);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        serverLog.addAppender(lines);
        try {
            EmbeddedServer server = PostgresServers.embedded().fastAndUnsafe().start();
            try (server;
                    Connection connection = server.connect("postgres");
                    Statement statement = connection.createStatement()) {
                // an error that echoes the value a client sent: the client gets it, the log must not
                try {
                    statement.execute("SELECT 'Sup3r-Secret-Value'::int");
                } catch (java.sql.SQLException expected) {
                    assertThat(expected.getMessage()).contains("Sup3r-Secret-Value");
                }
                // a server-side WARNING written to the server's log
                statement.execute("SET log_min_messages = warning");
                statement.execute("DO $$ BEGIN RAISE WARNING 'pgdbm-test-warning'; END $$");
                Awaitility.await("the server's WARNING reaches the log")
                        .atMost(java.time.Duration.ofSeconds(10))
                        .pollInterval(java.time.Duration.ofMillis(50))
                        .until(() -> java.util.List.copyOf(lines.list).stream()
                                .anyMatch(e -> e.getFormattedMessage().contains("pgdbm-test-warning")));
            }
        } finally {
            serverLog.detachAppender(lines);
            serverLog.setLevel(level);
        }
        assertThat(lines.list).as("the server's start-up lines arrive").isNotEmpty();
        assertThat(lines.list)
                .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .as("errors answer the client; the server's copy (which echoes values) is left out")
                .noneMatch(line -> line.contains("Sup3r-Secret-Value"));
        assertThat(lines.list)
                .filteredOn(e -> e.getFormattedMessage().contains("pgdbm-test-warning"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN));
        assertThat(lines.list)
                .filteredOn(e -> !e.getFormattedMessage().contains("WARNING:"))
                .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getLevel)
                .containsOnly(ch.qos.logback.classic.Level.DEBUG);
    }
}
