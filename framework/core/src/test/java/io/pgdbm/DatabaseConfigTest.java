package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.internal.PoolFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DatabaseConfigTest {
    private static final String SECRET = "p@ss:w/rd%secret";

    @Test
    void readsALibpqUriWithPercentEncodedParts() {
        DatabaseConfig config = DatabaseConfig.builder()
                .url("postgresql://app%20user:p%40ss%3Aw%2Frd%25secret@db.example.com:6432/my%20db"
                        + "?sslmode=verify-full&application_name=billing&connect_timeout=7")
                .build();
        assertThat(config.host()).isEqualTo("db.example.com");
        assertThat(config.port()).isEqualTo(6432);
        assertThat(config.user()).contains("app user");
        assertThat(config.password()).contains(SECRET);
        assertThat(config.database()).contains("my db");
        assertThat(config.sslMode()).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(config.applicationName()).isEqualTo("billing");
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6432/my%20db");
    }

    @Test
    void readsSeveralHostsIncludingIpv6AndDefaultPorts() {
        DatabaseConfig config = DatabaseConfig.builder()
                .url("postgres://u@primary:5433,replica,[::1]:5434/app?target_session_attrs=read-write")
                .build();
        assertThat(config.hostsDescription()).isEqualTo("primary:5433,replica:5432,[::1]:5434");
        assertThat(config.targetServerType()).contains("primary");
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://primary:5433,replica:5432,[::1]:5434/app");
    }

    @Test
    void readsHostAndPortFromQueryParametersAsLibpqDoes() {
        DatabaseConfig config = DatabaseConfig.builder()
                .url("postgresql:///app?host=h1,h2&port=6000&user=me")
                .build();
        assertThat(config.hostsDescription()).isEqualTo("h1:6000,h2:6000");
        assertThat(config.user()).contains("me");
        assertThat(config.database()).contains("app");
    }

    @Test
    void readsOptionsIntoServerSettings() {
        DatabaseConfig config = DatabaseConfig.builder()
                .url("postgresql://h/db?options=-c%20work_mem%3D64MB%20-c%20search_path%3Da%5C%20b")
                .build();
        assertThat(config.serverSettings()).containsEntry("work_mem", "64MB").containsEntry("search_path", "a b");
        assertThat(config.serverSettings()).containsEntry("jit", "off");
    }

    @Test
    void rejectsUnknownLibpqParametersAsLibpqDoes() {
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .url("postgresql://h/db?sslmod=require")
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'sslmod'")
                .hasMessageContaining("sslmode");
    }

    @Test
    void readsJdbcUrlsAndPassesUnknownPropertiesToTheDriver() {
        DatabaseConfig config = DatabaseConfig.builder()
                .url("jdbc:postgresql://h1:5433,h2/app?user=u&password=" + "pw" + "&sslmode=require&prepareThreshold=1")
                .build();
        assertThat(config.hostsDescription()).isEqualTo("h1:5433,h2:5432");
        assertThat(config.user()).contains("u");
        assertThat(config.password()).contains("pw");
        assertThat(config.sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(config.driverProperties()).containsEntry("prepareThreshold", "1");
        assertThat(DatabaseConfig.builder().url("jdbc:postgresql:appdb").build().database())
                .contains("appdb");
    }

    @Test
    void rejectsUrlsThatAreNotPostgres() {
        assertThatThrownBy(() -> DatabaseConfig.builder().url("mysql://u:" + SECRET + "@h/db"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("not a PostgreSQL URL")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> DatabaseConfig.builder().url("postgresql://h:99999/db"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> DatabaseConfig.builder().url("postgresql://%2Fvar%2Frun%2Fpostgresql/db"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Unix-domain socket");
    }

    @Test
    void readsDatabaseUrlAndPgVariablesFromTheEnvironment() {
        DatabaseConfig fromVariables = DatabaseConfig.builder()
                .fromEnvironment(Map.of(
                        "PGHOST",
                        "envhost",
                        "PGPORT",
                        "6543",
                        "PGDATABASE",
                        "envdb",
                        "PGUSER",
                        "envuser",
                        "PGPASSWORD",
                        SECRET,
                        "PGSSLMODE",
                        "require",
                        "PGAPPNAME",
                        "worker"))
                .build();
        assertThat(fromVariables.hostsDescription()).isEqualTo("envhost:6543");
        assertThat(fromVariables.database()).contains("envdb");
        assertThat(fromVariables.user()).contains("envuser");
        assertThat(fromVariables.password()).contains(SECRET);
        assertThat(fromVariables.sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(fromVariables.applicationName()).isEqualTo("worker");

        DatabaseConfig fromUrl = DatabaseConfig.builder()
                .fromEnvironment(Map.of("DATABASE_URL", "postgresql://urluser@urlhost/urldb", "PGPASSWORD", SECRET))
                .build();
        assertThat(fromUrl.hostsDescription()).isEqualTo("urlhost:5432");
        assertThat(fromUrl.user()).contains("urluser");
        assertThat(fromUrl.password())
                .as("PGPASSWORD fills in what DATABASE_URL leaves out")
                .contains(SECRET);
    }

    @Test
    void defaultsSuitShortOltpQueries() {
        DatabaseConfig config = DatabaseConfig.builder().build();
        assertThat(config.statementTimeout()).contains(Duration.ofSeconds(60));
        assertThat(config.lockTimeout()).contains(Duration.ofSeconds(5));
        assertThat(config.idleInTransactionSessionTimeout()).contains(Duration.ofSeconds(60));
        assertThat(config.serverSettings()).containsEntry("jit", "off");
        assertThat(config.sessionSettings())
                .containsEntry("statement_timeout", "60000")
                .containsEntry("lock_timeout", "5000")
                .containsEntry("idle_in_transaction_session_timeout", "60000");
        assertThat(config.sslMode()).isEqualTo(SslMode.PREFER);
        assertThat(config.hostsDescription()).isEqualTo("localhost:5432");
    }

    @Test
    void nullTimeoutsDisableThem() {
        DatabaseConfig config = DatabaseConfig.builder()
                .statementTimeout(null)
                .lockTimeout(null)
                .idleInTransactionSessionTimeout(null)
                .build();
        assertThat(config.statementTimeout()).isEmpty();
        assertThat(config.sessionSettings())
                .containsEntry("statement_timeout", "0")
                .containsEntry("lock_timeout", "0");
    }

    @Test
    void validationMessagesNameThePropertyAndTheRule() {
        assertThatThrownBy(() -> DatabaseConfig.builder().maxConnections(0).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("maxConnections (0) must be at least 1");
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .minConnections(5)
                        .maxConnections(2)
                        .build())
                .hasMessageContaining("minConnections (5) must not exceed maxConnections (2)");
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .acquireTimeout(Duration.ofMillis(10))
                        .build())
                .hasMessageContaining("acquireTimeout (10 ms) must be at least 250 ms");
        assertThatThrownBy(() ->
                        DatabaseConfig.builder().statementTimeout(Duration.ZERO).build())
                .hasMessageContaining("statementTimeout (0 s) must be positive; use null to disable it");
        assertThatThrownBy(() -> DatabaseConfig.builder().schema("bad-schema").build())
                .hasMessageContaining("schema 'bad-schema' is not a valid identifier");
        assertThatThrownBy(() -> DatabaseConfig.builder().port(0).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("port (0) must be between 1 and 65535");
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .sslRootCert(Path.of("/no/such/ca.pem"))
                        .build())
                .hasMessageContaining("sslRootCert (/no/such/ca.pem) is not a readable file");
        assertThatThrownBy(() ->
                        DatabaseConfig.builder().serverSetting("bad name", "x").build())
                .hasMessageContaining("serverSettings name ('bad name')");
        assertThatThrownBy(() -> SslMode.parse("sometimes"))
                .hasMessageContaining("disable, allow, prefer, require, verify-ca, verify-full");
    }

    @Test
    void theDefaultMinimumFollowsASmallMaximumButAnExplicitOneIsChecked() {
        assertThat(DatabaseConfig.builder().maxConnections(1).build().minConnections())
                .isEqualTo(1);
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .minConnections(2)
                        .maxConnections(1)
                        .build())
                .hasMessageContaining("minConnections (2) must not exceed maxConnections (1)");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .maxConnections(0)
                        .minConnections(-1)
                        .applicationName(" ")
                        .build())
                .hasMessageContaining("maxConnections")
                .hasMessageContaining("minConnections")
                .hasMessageContaining("applicationName");
    }

    @Test
    void toStringAndMessagesMaskThePassword() {
        DatabaseConfig config = DatabaseConfig.builder()
                .url("postgresql://app:" + "hunter2hunter2" + "@h/db")
                .build();
        assertThat(config.toString()).doesNotContain("hunter2hunter2").contains("app:***@h:5432/db");
        assertThat(config.describe()).doesNotContain("hunter2hunter2");
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .url("postgresql://app:" + "hunter2hunter2" + "@h/db?bogus=1")
                        .build())
                .hasMessageNotContaining("hunter2hunter2");
    }

    @Test
    void sessionSettingsTravelAsStartupOptions() {
        DatabaseConfig config =
                DatabaseConfig.builder().serverSetting("search_path", "a b").build();
        Properties props = PoolFactory.driverProperties(config);
        assertThat(props.getProperty("options"))
                .isEqualTo(
                        "-c statement_timeout=60000 -c lock_timeout=5000 -c idle_in_transaction_session_timeout=60000"
                                + " -c jit=off -c search_path=a\\ b");
        assertThat(props.getProperty("stringtype")).isEqualTo("unspecified");
    }

    @Test
    void toBuilderCopiesEveryValue() {
        DatabaseConfig config = DatabaseConfig.builder()
                .url("postgresql://u:pw@h:1234/db")
                .schema("s")
                .maxConnections(7)
                .serverSetting("work_mem", "8MB")
                .build();
        DatabaseConfig copy = config.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(config.toString());
        assertThat(copy.password()).contains("pw");
    }
}
