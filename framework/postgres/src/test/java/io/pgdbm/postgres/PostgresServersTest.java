package io.pgdbm.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresServersTest {

    @Test
    void aUrlNamesAServerWithoutStartingOne() {
        PostgresServer server = PostgresServers.locate(
                Map.of("PGDBM_TEST_URL", "postgresql://admin:s%40cret@db.example:6543/maintenance"), name -> null);
        assertThat(server.kind()).isEqualTo(PostgresServer.Kind.URL);
        assertThat(server.host()).isEqualTo("db.example");
        assertThat(server.port()).isEqualTo(6543);
        assertThat(server.user()).isEqualTo("admin");
        assertThat(server.password()).contains("s@cret");
        assertThat(server.adminDatabase()).isEqualTo("maintenance");
        assertThat(server.describe()).doesNotContain("s@cret");
        assertThat(server.url("app")).isEqualTo("postgresql://admin:s%40cret@db.example:6543/app");
        server.close(); // nothing to stop
    }

    @Test
    void jdbcUrlsAndSystemPropertiesWorkToo() {
        PostgresServer server = PostgresServers.locate(
                Map.of(),
                name -> name.equals("PGDBM_TEST_URL") ? "jdbc:postgresql://h:5433/postgres?user=u&password=p" : null);
        assertThat(server.port()).isEqualTo(5433);
        assertThat(server.user()).isEqualTo("u");
        assertThat(server.password()).contains("p");
    }

    @Test
    void theProviderCanBeForcedAndSaysWhatIsMissing() {
        assertThatThrownBy(() -> PostgresServers.locate(Map.of("PGDBM_TEST_PROVIDER", "url"), name -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pgdbm.test.provider=url needs PGDBM_TEST_URL");
        assertThatThrownBy(() ->
                        PostgresServers.locate(Map.of(), name -> name.equals("pgdbm.test.provider") ? "magic" : null))
                .hasMessageContaining("must be url, embedded or testcontainers");
        if (!PostgresServers.dockerAvailable()) {
            assertThatThrownBy(
                            () -> PostgresServers.locate(Map.of("PGDBM_TEST_PROVIDER", "testcontainers"), name -> null))
                    .hasMessageContaining("no Docker engine answers")
                    .hasMessageContaining("pgdbm.test.provider=embedded");
        }
        assertThatThrownBy(() -> PostgresServers.fromUrl("mysql://x/y")).hasMessageContaining("postgresql://");
    }

    @Test
    void theEmbeddedProviderStartsAServer() throws Exception {
        try (PostgresServer server = PostgresServers.locate(Map.of("PGDBM_TEST_PROVIDER", "embedded"), name -> null);
                Connection connection = server.connect(server.adminDatabase());
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT 1")) {
            assertThat(server.kind()).isEqualTo(PostgresServer.Kind.EMBEDDED);
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void testcontainersServesWhereDockerRuns() throws Exception {
        assumeTrue(
                PostgresServers.dockerAvailable(),
                "no Docker engine on this machine; the embedded server covers this path");
        try (PostgresServer server = PostgresServers.testcontainers("postgres:18-alpine");
                Connection connection = server.connect(server.adminDatabase());
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
            assertThat(server.kind()).isEqualTo(PostgresServer.Kind.TESTCONTAINERS);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(180000);
        }
    }
}
