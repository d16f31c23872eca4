package io.pgdbm.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
}
