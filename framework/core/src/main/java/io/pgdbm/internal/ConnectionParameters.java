package io.pgdbm.internal;

import io.pgdbm.SslMode;
import io.pgdbm.internal.ConnectionStrings.Host;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the parameters of a libpq URI, a pgJDBC URL and the libpq environment variables mean for a
 * configuration. {@link ConnectionStrings} splits a URL into parts; this class interprets them and writes
 * each setting to a {@link Target} (the configuration's builder), reporting what it cannot accept as
 * problems rather than throwing, so the builder can list every mistake at once.
 */
public final class ConnectionParameters {

    /** The settings a URL or the environment can set. Null leaves a value as it is where noted. */
    public interface Target {
        List<Host> hosts();

        void hosts(List<Host> hosts);

        void database(String database);

        String user();

        void user(String user);

        String password();

        void password(String password);

        void connectTimeout(Duration timeout);

        String applicationName();

        void applicationName(String name);

        void sslMode(SslMode mode);

        void sslRootCert(Path file);

        void sslCert(Path file);

        void sslKey(Path file);

        void sslPassword(String password);

        void serverSettings(Map<String, String> settings);

        void targetServerType(String type);

        void driverProperty(String name, String value);

        void problem(String problem);
    }

    private static final String LIBPQ_NAMES = "host, port, dbname, user, password, sslmode, sslrootcert, sslcert,"
            + " sslkey, sslpassword, application_name, connect_timeout, options, target_session_attrs";

    private ConnectionParameters() {}

    /** Applies a libpq URI or a {@code jdbc:postgresql:} URL; the user and password stay when it has none. */
    public static void applyUrl(String url, Target target) {
        ConnectionStrings.Parts parts = ConnectionStrings.parse(url);
        target.hosts(new ArrayList<>(parts.hosts()));
        target.database(parts.database());
        if (parts.user() != null) {
            target.user(parts.user());
        }
        if (parts.password() != null) {
            target.password(parts.password());
        }
        if (ConnectionStrings.isLibpqUri(url.strip())) {
            applyLibpq(parts.parameters(), url, target);
        } else {
            applyJdbc(parts.parameters(), target);
        }
    }

    /**
     * Applies {@code DATABASE_URL} and the libpq variables: the variables fill in what the URL leaves out,
     * blank variables count as unset.
     */
    public static void applyEnvironment(Map<String, String> env, Target target) {
        Map<String, String> libpq = new LinkedHashMap<>();
        copy(env, "PGHOST", libpq, "host");
        copy(env, "PGPORT", libpq, "port");
        copy(env, "PGSSLMODE", libpq, "sslmode");
        copy(env, "PGSSLROOTCERT", libpq, "sslrootcert");
        copy(env, "PGSSLCERT", libpq, "sslcert");
        copy(env, "PGSSLKEY", libpq, "sslkey");
        copy(env, "PGAPPNAME", libpq, "application_name");
        copy(env, "PGCONNECT_TIMEOUT", libpq, "connect_timeout");
        copy(env, "PGOPTIONS", libpq, "options");
        applyLibpq(libpq, "the PG* environment variables", target);
        if (nonBlank(env.get("PGDATABASE"))) {
            target.database(env.get("PGDATABASE"));
        }
        if (nonBlank(env.get("PGUSER"))) {
            target.user(env.get("PGUSER"));
        }
        if (nonBlank(env.get("PGPASSWORD"))) {
            target.password(env.get("PGPASSWORD"));
        }
        String url = env.get("DATABASE_URL");
        if (nonBlank(url)) {
            applyUrl(url, target);
        }
    }

    private static void copy(Map<String, String> env, String variable, Map<String, String> into, String key) {
        String value = env.get(variable);
        if (nonBlank(value)) {
            into.put(key, value);
        }
    }

    private static void applyLibpq(Map<String, String> parameters, String source, Target target) {
        List<String> hostNames = null;
        List<String> ports = null;
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            String value = parameter.getValue();
            switch (parameter.getKey()) {
                case "host", "hostaddr" -> hostNames = List.of(value.split(",", -1));
                case "port" -> ports = List.of(value.split(",", -1));
                case "dbname" -> target.database(value);
                case "user" -> target.user(value);
                case "password" -> target.password(value);
                case "connect_timeout" -> seconds("connect_timeout", value, target);
                case "application_name" -> target.applicationName(value);
                case "fallback_application_name" -> {
                    if ("pgdbm".equals(target.applicationName())) {
                        target.applicationName(value);
                    }
                }
                case "sslmode" -> target.sslMode(SslMode.parse(value));
                case "sslrootcert" -> target.sslRootCert(Path.of(value));
                case "sslcert" -> target.sslCert(Path.of(value));
                case "sslkey" -> target.sslKey(Path.of(value));
                case "sslpassword" -> target.sslPassword(value);
                case "options" -> target.serverSettings(ConnectionStrings.parseOptions(value));
                case "target_session_attrs" -> targetServerType(value, target);
                case "client_encoding" -> {
                    if (!value.equalsIgnoreCase("UTF8") && !value.equalsIgnoreCase("UTF-8")) {
                        target.problem(
                                "client_encoding (" + value + ") must be UTF8: the JDBC driver speaks only UTF-8");
                    }
                }
                case "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count" -> {
                    // TCP keep-alive is always on; the kernel's intervals apply.
                }
                default ->
                    target.problem("'" + parameter.getKey() + "' in " + Masking.maskUrl(source)
                            + " is not a connection parameter pgdbm knows: use " + LIBPQ_NAMES);
            }
        }
        if (hostNames != null || ports != null) {
            List<Host> hosts = target.hosts();
            List<String> names = hostNames != null
                    ? hostNames
                    : hosts.stream().map(Host::name).toList();
            List<Host> combined = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String port = ports == null
                        ? null
                        : ports.size() == 1 ? ports.get(0) : i < ports.size() ? ports.get(i) : null;
                int portNumber = port == null && hostNames == null
                        ? hosts.get(Math.min(i, hosts.size() - 1)).port()
                        : ConnectionStrings.parsePort(port, source);
                combined.add(new Host(names.get(i).isEmpty() ? "localhost" : names.get(i), portNumber));
            }
            target.hosts(combined);
        }
    }

    private static void applyJdbc(Map<String, String> parameters, Target target) {
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            String value = parameter.getValue();
            switch (parameter.getKey()) {
                case "user" -> target.user(value);
                case "password" -> target.password(value);
                case "sslmode" -> target.sslMode(SslMode.parse(value));
                case "ssl" -> {
                    // pgJDBC reads ssl=true as verify-full unless sslmode says otherwise
                    if (Boolean.parseBoolean(value) && !parameters.containsKey("sslmode")) {
                        target.sslMode(SslMode.VERIFY_FULL);
                    }
                }
                case "sslrootcert" -> target.sslRootCert(Path.of(value));
                case "sslcert" -> target.sslCert(Path.of(value));
                case "sslkey" -> target.sslKey(Path.of(value));
                case "sslpassword" -> target.sslPassword(value);
                case "ApplicationName" -> target.applicationName(value);
                case "connectTimeout" -> seconds("connectTimeout", value, target);
                case "options" -> target.serverSettings(ConnectionStrings.parseOptions(value));
                case "targetServerType" -> target.targetServerType(value);
                default -> target.driverProperty(parameter.getKey(), value);
            }
        }
    }

    private static void seconds(String name, String value, Target target) {
        try {
            target.connectTimeout(Duration.ofSeconds(Integer.parseInt(value.strip())));
        } catch (NumberFormatException e) {
            target.problem(name + " ('" + value + "') must be a whole number of seconds");
            target.connectTimeout(Duration.ofSeconds(1));
        }
    }

    private static void targetServerType(String attrs, Target target) {
        switch (attrs.toLowerCase(Locale.ROOT)) {
            case "any" -> target.targetServerType("any");
            case "read-write", "primary" -> target.targetServerType("primary");
            case "read-only", "standby" -> target.targetServerType("secondary");
            case "prefer-standby" -> target.targetServerType("preferSecondary");
            default -> {
                target.problem("target_session_attrs ('" + attrs
                        + "') must be any, read-write, read-only, primary, standby or prefer-standby");
                target.targetServerType(null);
            }
        }
    }

    private static boolean nonBlank(String value) {
        return value != null && !value.isBlank();
    }
}
