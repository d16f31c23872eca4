package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.internal.PoolFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Read replicas as configuration (ReplicaTest in scale-out reads from a real streaming replica). */
class ReplicaConfigTest {
    private static final String PRIMARY = "postgresql://app:pr1mary%2Fpw@db-primary:5432/app";

    @Test
    void eachReplicaIsAReadOnlyConfigurationThatInheritsWhatItsUrlLeavesOut() {
        DatabaseConfig config = DatabaseConfig.builder()
                .url(PRIMARY)
                .statementTimeout(Duration.ofSeconds(7))
                .replicaUrl("postgresql://db-replica-1/app")
                .replicaUrl("postgresql://reader:r3plica%2Fpw@db-replica-2:6543/app?sslmode=require")
                .replicaMaxLag(Duration.ofSeconds(2))
                .build();
        assertThat(config.replicas()).hasSize(2);
        DatabaseConfig first = config.replicas().get(0);
        assertThat(first.hostsDescription()).isEqualTo("db-replica-1:5432");
        assertThat(first.user()).contains("app");
        assertThat(first.password()).contains("pr1mary/pw");
        assertThat(first.statementTimeout()).contains(Duration.ofSeconds(7));
        assertThat(first.serverSettings()).containsEntry("default_transaction_read_only", "on");
        assertThat(PoolFactory.driverProperties(first).getProperty("options"))
                .contains("default_transaction_read_only=on");
        assertThat(first.connectTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(first.acquireTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(first.minConnections()).isZero();
        assertThat(first.replicas()).isEmpty();
        DatabaseConfig second = config.replicas().get(1);
        assertThat(second.user()).contains("reader");
        assertThat(second.sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(config.replicaMaxLag()).contains(Duration.ofSeconds(2));
        assertThat(config.replicaFallback()).isEqualTo(ReplicaFallback.PRIMARY);
        assertThat(config.toString())
                .contains("replicas=[postgresql://app:***@db-replica-1:5432/app")
                .doesNotContain("pr1mary/pw")
                .doesNotContain("r3plica/pw");
        // the primary itself is not read-only
        assertThat(config.serverSettings()).doesNotContainKey("default_transaction_read_only");

        DatabaseConfig copy = config.toBuilder().maxConnections(5).build();
        assertThat(copy.replicas()).hasSize(2);
        assertThat(copy.replicaMaxLag()).contains(Duration.ofSeconds(2));
        assertThat(config.toBuilder().replicaUrls(List.of()).build().replicas()).isEmpty();
    }

    @Test
    void badReplicaSettingsAreConfigurationErrorsThatNameThemAndHideThePasswords() {
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .url(PRIMARY)
                        .replicaUrl("postgresql://db-replica-1/app")
                        .replicaUrl("postgresql://u:s3cret@db-replica-2/app?sslmode=sometimes")
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("replicaUrls[1]")
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("pr1mary/pw");
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .url(PRIMARY)
                        .replicaMaxLag(Duration.ZERO)
                        .build())
                .hasMessageContaining("replicaMaxLag");
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .url(PRIMARY)
                        .replicaCheckInterval(Duration.ofMillis(10))
                        .build())
                .hasMessageContaining("replicaCheckInterval");
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .url(PRIMARY)
                        .transactionPooling(true)
                        .replicaUrl("postgresql://db-replica-1/app")
                        .build())
                .hasMessageContaining("transactionPooling")
                .hasMessageContaining("replicas");
    }

    @Test
    void theEnvironmentListsReplicas() {
        DatabaseConfig config = DatabaseConfig.builder()
                .fromEnvironment(Map.of(
                        "DATABASE_URL",
                        PRIMARY,
                        "PGDBM_REPLICA_URLS",
                        "postgresql://db-replica-1/app, postgresql://db-replica-2/app"))
                .build();
        assertThat(config.replicas())
                .extracting(DatabaseConfig::hostsDescription)
                .containsExactly("db-replica-1:5432", "db-replica-2:5432");
    }
}
