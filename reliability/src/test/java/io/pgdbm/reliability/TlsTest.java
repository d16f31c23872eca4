package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.ConnectionException;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.SharedPool;
import io.pgdbm.SslMode;
import io.pgdbm.postgres.EmbeddedServer;
import io.pgdbm.postgres.PostgresServers;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with SSL on and a certificate from a CA generated here. verify-full needs the right CA and the
 * right host name; verify-ca the right CA; require encrypts (and, as libpq documents, checks the CA when a
 * root certificate is given); prefer encrypts when it can; disable does not.
 */
class TlsTest {
    @TempDir
    static Path dir;

    private static EmbeddedServer server;
    private static Path rootCert;
    private static Path rogueCert;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("pgdbm test CA");
        TestCertificates.Authority rogue = TestCertificates.authority("someone else's CA");
        rootCert = dir.resolve("root.crt");
        rogueCert = dir.resolve("rogue.crt");
        TestCertificates.writeCertificate(ca.certificate(), rootCert);
        TestCertificates.writeCertificate(rogue.certificate(), rogueCert);
        Path serverCert = dir.resolve("server.crt");
        Path serverKey = dir.resolve("server.key");
        TestCertificates.server(ca, "localhost", serverCert, serverKey);
        server = PostgresServers.embedded()
                .setting("ssl", "on")
                .setting("ssl_cert_file", serverCert.toString())
                .setting("ssl_key_file", serverKey.toString())
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static DatabaseConfig.Builder config(String host, SslMode mode) {
        return DatabaseConfig.builder()
                .host(host)
                .port(server.port())
                .database("postgres")
                .user(server.user())
                .sslMode(mode)
                .startupRetries(0, java.time.Duration.ofMillis(10))
                .maxConnections(1);
    }

    /** Whether the session is encrypted, per the server. */
    private static boolean encrypted(DatabaseConfig config) {
        try (SharedPool pool = SharedPool.create(config)) {
            return pool.manager().fetchValue(Boolean.class, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
        }
    }

    @Test
    void verifyFullSucceedsWithTheRightCaAndHostName() {
        assertThat(encrypted(config("localhost", SslMode.VERIFY_FULL)
                        .sslRootCert(rootCert)
                        .build()))
                .isTrue();
    }

    @Test
    void verifyFullFailsWithAWrongHostName() {
        assertThatThrownBy(() -> encrypted(config("127.0.0.1", SslMode.VERIFY_FULL)
                        .sslRootCert(rootCert)
                        .build()))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("127.0.0.1");
    }

    @Test
    void verifyFullAndVerifyCaFailWithAnUnknownCa() {
        assertThatThrownBy(() -> encrypted(config("localhost", SslMode.VERIFY_FULL)
                        .sslRootCert(rogueCert)
                        .build()))
                .isInstanceOf(ConnectionException.class);
        assertThatThrownBy(() -> encrypted(config("localhost", SslMode.VERIFY_CA)
                        .sslRootCert(rogueCert)
                        .build()))
                .isInstanceOf(ConnectionException.class);
    }

    @Test
    void verifyCaChecksTheCaButNotTheHostName() {
        assertThat(encrypted(config("127.0.0.1", SslMode.VERIFY_CA)
                        .sslRootCert(rootCert)
                        .build()))
                .isTrue();
    }

    @Test
    void requireEncryptsAndChecksTheCaOnlyWhenARootCertificateIsGiven() {
        assertThat(encrypted(config("127.0.0.1", SslMode.REQUIRE).build())).isTrue();
        assertThat(encrypted(config("127.0.0.1", SslMode.REQUIRE)
                        .sslRootCert(rootCert)
                        .build()))
                .isTrue();
        assertThatThrownBy(() -> encrypted(config("127.0.0.1", SslMode.REQUIRE)
                        .sslRootCert(rogueCert)
                        .build()))
                .isInstanceOf(ConnectionException.class);
    }

    @Test
    void preferEncryptsAndDisableDoesNot() {
        assertThat(encrypted(config("localhost", SslMode.PREFER).build())).isTrue();
        assertThat(encrypted(config("localhost", SslMode.DISABLE).build())).isFalse();
    }

    @Test
    void againstAServerWithoutSslRequireFailsAndPreferFallsBack() {
        try (EmbeddedServer plain =
                PostgresServers.embedded().setting("ssl", "off").start()) {
            DatabaseConfig.Builder base = DatabaseConfig.builder()
                    .host("localhost")
                    .port(plain.port())
                    .database("postgres")
                    .user(plain.user())
                    .startupRetries(0, java.time.Duration.ofMillis(10))
                    .maxConnections(1);
            assertThatThrownBy(() -> encrypted(base.sslMode(SslMode.REQUIRE).build()))
                    .isInstanceOf(ConnectionException.class);
            assertThat(encrypted(base.sslMode(SslMode.PREFER).build())).isFalse();
            assertThat(encrypted(base.sslMode(SslMode.DISABLE).build())).isFalse();
        }
    }
}
