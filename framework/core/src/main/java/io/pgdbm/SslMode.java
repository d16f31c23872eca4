package io.pgdbm;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * TLS modes, with libpq's names and meanings. {@link #VERIFY_FULL} is the one to use in production: it
 * checks the server's certificate against {@code sslRootCert} and its host name against the certificate.
 */
public enum SslMode {
    /** Never use TLS. */
    DISABLE("disable"),
    /** Try without TLS first, then with TLS. */
    ALLOW("allow"),
    /** Try TLS first, then without (libpq's default). */
    PREFER("prefer"),
    /** TLS only; the certificate is verified only if a root certificate is configured (as in libpq). */
    REQUIRE("require"),
    /** TLS only, and the server's certificate must be signed by a trusted CA. */
    VERIFY_CA("verify-ca"),
    /** TLS only, a trusted certificate, and the host name must match it. */
    VERIFY_FULL("verify-full");

    private final String libpqName;

    SslMode(String libpqName) {
        this.libpqName = libpqName;
    }

    /** The name libpq and pgJDBC use, e.g. {@code verify-full}. */
    public String libpqName() {
        return libpqName;
    }

    /**
     * Parses a libpq name ({@code verify-full}) or an enum name ({@code VERIFY_FULL}), ignoring case.
     *
     * @throws ConfigurationException listing the valid modes
     */
    public static SslMode parse(@Nullable String text) {
        if (text != null) {
            String normalized = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
            for (SslMode mode : values()) {
                if (mode.libpqName.equals(normalized)) {
                    return mode;
                }
            }
        }
        throw new ConfigurationException("sslMode ('" + text
                + "') is not a TLS mode: use one of disable, allow, prefer, require, verify-ca, verify-full");
    }
}
