package io.pgdbm.internal;

import io.pgdbm.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, once per class loader, that the Flyway, HikariCP and jOOQ on the class path are versions pgdbm works
 * with. Dependency management (Spring Boot's parent, a company BOM) can swap them for versions other than
 * the ones pgdbm's pom names; too old a one would fail later with a {@code NoSuchMethodError} or wrong
 * behaviour, so it fails here, saying what to set.
 */
public final class LibraryVersions {
    private static final Logger LOG = LoggerFactory.getLogger(LibraryVersions.class);

    /** The oldest versions pgdbm is tested with (Flyway and HikariCP: those Spring Boot 4.1 manages). */
    static final String FLYWAY_MINIMUM = "12.4.0";

    static final String HIKARICP_MINIMUM = "7.0.0";
    /** jOOQ's minor versions change its API: the one pgdbm is built with, any patch release. */
    static final String JOOQ_MINIMUM = "3.21.0";

    static final String JOOQ_BELOW = "3.22.0";

    private static volatile boolean checked;

    private LibraryVersions() {}

    /** @throws ConfigurationException naming each library whose version pgdbm does not work with */
    public static void check() {
        if (checked) {
            return;
        }
        synchronized (LibraryVersions.class) {
            if (!checked) {
                List<String> problems = problems(
                        read(LibraryVersions::flyway), read(LibraryVersions::hikari), read(LibraryVersions::jooq));
                if (!problems.isEmpty()) {
                    throw new ConfigurationException(String.join("\n", problems));
                }
                checked = true;
            }
        }
    }

    /** What is wrong with these versions (null: unknown, not checked); empty when nothing is. */
    static List<String> problems(String flyway, String hikari, String jooq) {
        Properties built = built();
        List<String> problems = new ArrayList<>();
        if (flyway != null && compare(flyway, FLYWAY_MINIMUM) < 0) {
            problems.add(problem(
                    "Flyway", "flyway.version", flyway, FLYWAY_MINIMUM + " or newer", built.getProperty("flyway")));
        }
        if (hikari != null && compare(hikari, HIKARICP_MINIMUM) < 0) {
            problems.add(problem(
                    "HikariCP",
                    "hikaricp.version",
                    hikari,
                    HIKARICP_MINIMUM + " or newer",
                    built.getProperty("hikaricp")));
        }
        if (jooq != null && (compare(jooq, JOOQ_MINIMUM) < 0 || compare(jooq, JOOQ_BELOW) >= 0)) {
            problems.add(problem("jOOQ", "jooq.version", jooq, "3.21.x", built.getProperty("jooq")));
        }
        return problems;
    }

    private static String problem(String library, String property, String found, String needed, String built) {
        return "pgdbm needs " + library + " " + needed + " but the class path has " + found + ". Dependency"
                + " management chose it (Spring Boot's parent or a BOM): set the " + property + " property to "
                + built + " (the version pgdbm is built with), or manage " + library + " at that version.";
    }

    /** Compares dotted versions by their numbers ({@code 12.4.0 < 12.10.1}); qualifiers are ignored. */
    static int compare(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int m = i < x.length ? number(x[i]) : 0;
            int n = i < y.length ? number(y[i]) : 0;
            if (m != n) {
                return Integer.compare(m, n);
            }
        }
        return 0;
    }

    private static int number(String part) {
        int end = 0;
        while (end < part.length() && Character.isDigit(part.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(part.substring(0, Math.min(end, 9)));
    }

    private static String read(Supplier<String> reader) {
        try {
            String version = reader.get();
            return version == null || version.isBlank() ? null : version.strip();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Could not read a library version: {}", e.toString());
            return null;
        }
    }

    static String flyway() {
        return resource(org.flywaydb.core.Flyway.class, "/org/flywaydb/core/internal/version.txt", null);
    }

    static String hikari() {
        return resource(
                com.zaxxer.hikari.HikariDataSource.class,
                "/META-INF/maven/com.zaxxer/HikariCP/pom.properties",
                "version");
    }

    static String jooq() {
        try {
            // read at run time: the constant would be compiled into this class
            return (String) org.jooq.Constants.class.getField("VERSION").get(null);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static String resource(Class<?> owner, String path, String key) {
        try (InputStream in = owner.getResourceAsStream(path)) {
            if (in == null) {
                return null;
            }
            if (key == null) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty(key);
        } catch (IOException e) {
            return null;
        }
    }

    static Properties built() {
        Properties properties = new Properties();
        try (InputStream in = LibraryVersions.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            LOG.debug("Could not read versions.properties: {}", e.toString());
        }
        return properties;
    }
}
