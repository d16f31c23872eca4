package io.pgdbm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.SslMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of docs/configuration.md, built and checked (it needs no server). */
class ConfigurationExamplesTest {
    @Test
    void theConfigurationExampleBuilds(@TempDir Path certs) throws Exception {
        Files.writeString(certs.resolve("root.crt"), "-----BEGIN CERTIFICATE-----\n");
        // tag::builder[]
        DatabaseConfig config = DatabaseConfig.builder()
                .url("postgresql://app:secret@db.internal:5432/app?sslmode=verify-full")
                .sslRootCert(certs.resolve("root.crt")) // the CA that signed the server's certificate
                .schema("users")
                .minConnections(2)
                .maxConnections(20)
                .statementTimeout(Duration.ofSeconds(60))
                .build();
        // end::builder[]
        assertThat(config.sslMode()).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(config.schema()).contains("users");
        assertThat(config.maxConnections()).isEqualTo(20);
        assertThat(config.describe()).doesNotContain("secret").contains("***");
    }
}
