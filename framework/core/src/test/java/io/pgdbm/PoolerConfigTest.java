package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.internal.PoolFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Transaction pooling and the direct migration URL, as configuration (PgBouncerTest runs them for real). */
class PoolerConfigTest {
    private static final String SECRET = "p@ss/w:rd";
    private static final String POOLER = "postgresql://app:p%40ss%2Fw%3Ard@pgbouncer:6432/app";

    @Test
    void aTransactionPooledConfigSendsNoSessionSettingsAndPreparesNothingByName() {
        DatabaseConfig config =
                DatabaseConfig.builder().url(POOLER).transactionPooling(true).build();
        Properties props = PoolFactory.driverProperties(config);
        assertThat(props).doesNotContainKey("options").containsEntry("prepareThreshold", "0");
        assertThat(config.transactionPooling()).isTrue();
        assertThat(config.migrationConfig()).isEmpty();
        assertThat(config.toString()).contains("transactionPooling=true").doesNotContain(SECRET);

        DatabaseConfig keeping =
                config.toBuilder().driverProperty("prepareThreshold", "5").build();
        assertThat(PoolFactory.driverProperties(keeping)).containsEntry("prepareThreshold", "5");
        assertThat(PoolFactory.driverProperties(
                        config.toBuilder().transactionPooling(false).build()))
                .containsKey("options")
                .doesNotContainKey("prepareThreshold");
    }

    @Test
    void sessionSettingsAPoolerCannotCarryAreRefusedEachNamingTheFix() {
        for (UnaryOperator<DatabaseConfig.Builder> setting : java.util.List.<UnaryOperator<DatabaseConfig.Builder>>of(
                b -> b.statementTimeout(Duration.ofSeconds(5)),
                b -> b.lockTimeout(null),
                b -> b.idleInTransactionSessionTimeout(Duration.ofMinutes(2)),
                b -> b.serverSetting("work_mem", "64MB"),
                b -> b.serverSettings(Map.of("jit", "on")),
                b -> b.extensionsSchema("extensions"),
                b -> b.url(POOLER + "?options=-c%20statement_timeout%3D5s"))) {
            DatabaseConfig.Builder builder =
                    setting.apply(DatabaseConfig.builder().url(POOLER)).transactionPooling(true);
            assertThatThrownBy(builder::build)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("transactionPooling")
                    .hasMessageContaining("ALTER ROLE")
                    .hasMessageNotContaining(SECRET);
        }
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .url(POOLER)
                        .initSql("SET work_mem = '64MB'")
                        .transactionPooling(true)
                        .build())
                .hasMessageContaining("initSql");
        // a configuration with settings of its own cannot be switched to pooling by toBuilder either
        DatabaseConfig tuned = DatabaseConfig.builder()
                .url(POOLER)
                .statementTimeout(Duration.ofSeconds(5))
                .build();
        assertThatThrownBy(() -> tuned.toBuilder().transactionPooling(true).build())
                .hasMessageContaining("transactionPooling");
        assertThat(DatabaseConfig.builder().url(POOLER).build().toBuilder()
                        .transactionPooling(true)
                        .build()
                        .transactionPooling())
                .isTrue();
    }

    @Test
    void theMigrationUrlIsADirectConfigurationThatInheritsWhatItLeavesOut() {
        DatabaseConfig config = DatabaseConfig.builder()
                .url(POOLER)
                .transactionPooling(true)
                .migrationUrl("postgresql://db-primary:5432/app")
                .build();
        DatabaseConfig direct = config.migrationConfig().orElseThrow();
        assertThat(direct.hostsDescription()).isEqualTo("db-primary:5432");
        assertThat(direct.user()).contains("app");
        assertThat(direct.password()).contains(SECRET);
        assertThat(direct.transactionPooling()).isFalse();
        assertThat(direct.migrationConfig()).isEmpty();
        assertThat(direct.maxConnections())
                .isEqualTo(10); // the pool's own: provisioning migrates several schemas at once
        assertThat(direct.minConnections()).isZero();
        assertThat(direct.statementTimeout()).contains(Duration.ofSeconds(60));
        assertThat(PoolFactory.driverProperties(direct)).containsKey("options");
        assertThat(config.toString())
                .contains("migrationUrl=postgresql://app:***@db-primary:5432/app")
                .doesNotContain(SECRET);

        DatabaseConfig again = config.toBuilder().maxConnections(7).build();
        assertThat(again.migrationConfig().orElseThrow().hostsDescription()).isEqualTo("db-primary:5432");
        assertThat(config.toBuilder().migrationUrl(null).build().migrationConfig())
                .isEmpty();
    }

    @Test
    void aMigrationUrlWithCredentialsOfItsOwnKeepsThemAndHidesThem() {
        DatabaseConfig config = DatabaseConfig.builder()
                .url(POOLER)
                .transactionPooling(true)
                .migrationUrl("postgresql://owner:0wner%2Fsecret@db-primary/app?sslmode=require")
                .build();
        DatabaseConfig direct = config.migrationConfig().orElseThrow();
        assertThat(direct.user()).contains("owner");
        assertThat(direct.password()).contains("0wner/secret");
        assertThat(direct.sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(config.toString()).doesNotContain("0wner/secret").doesNotContain(SECRET);
    }

    @Test
    void aBadMigrationUrlIsAConfigurationErrorThatSaysSoAndHidesItsPassword() {
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .url(POOLER)
                        .migrationUrl("postgresql://owner:hunter2@db-primary/app?sslmode=sometimes")
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("migrationUrl")
                .hasMessageContaining("sometimes")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void theEnvironmentNamesTheMigrationUrlAndThePoolingMode() {
        DatabaseConfig config = DatabaseConfig.builder()
                .fromEnvironment(Map.of(
                        "DATABASE_URL", POOLER,
                        "PGDBM_MIGRATION_URL", "postgresql://db-primary/app",
                        "PGDBM_TRANSACTION_POOLING", "true"))
                .build();
        assertThat(config.transactionPooling()).isTrue();
        assertThat(config.migrationConfig().orElseThrow().hostsDescription()).isEqualTo("db-primary:5432");
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .fromEnvironment(Map.of("PGDBM_TRANSACTION_POOLING", "sometimes"))
                        .build())
                .hasMessageContaining("PGDBM_TRANSACTION_POOLING");
    }
}
