package io.pgdbm.internal;

import io.pgdbm.ConfigurationException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the two URL forms users hand us into plain parts: a libpq URI ({@code postgresql://…} or
 * {@code postgres://…}, as psql and asyncpg take it) and a pgJDBC URL ({@code jdbc:postgresql:…}).
 */
public final class ConnectionStrings {

    /** A host and port. */
    public record Host(String name, int port) {
        @Override
        public String toString() {
            return (name.indexOf(':') >= 0 ? "[" + name + "]" : name) + ":" + port;
        }
    }

    /**
     * What a URL said. Null fields were not given. {@code parameters} are the query parameters, with
     * libpq names for a libpq URI and pgJDBC names for a JDBC URL.
     */
    public record Parts(
            List<Host> hosts, String database, String user, String password, Map<String, String> parameters) {}

    public static final int DEFAULT_PORT = 5432;

    private ConnectionStrings() {}

    public static boolean isLibpqUri(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("postgresql://") || lower.startsWith("postgres://");
    }

    public static boolean isJdbcUrl(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:");
    }

    /** Parses either form. */
    public static Parts parse(String url) {
        if (url == null || url.isBlank()) {
            throw new ConfigurationException("url is empty: give a URL such as postgresql://user@localhost:5432/app");
        }
        String trimmed = url.strip();
        if (isLibpqUri(trimmed)) {
            return parseAuthorityUrl(trimmed, trimmed.indexOf("://") + 3, true);
        }
        if (isJdbcUrl(trimmed)) {
            String rest = trimmed.substring("jdbc:postgresql:".length());
            if (rest.startsWith("//")) {
                return parseAuthorityUrl(trimmed, "jdbc:postgresql://".length(), false);
            }
            // jdbc:postgresql:database or jdbc:postgresql:/ (localhost, default port)
            int query = rest.indexOf('?');
            String database = query < 0 ? rest : rest.substring(0, query);
            database = database.startsWith("/") ? database.substring(1) : database;
            Map<String, String> parameters = query < 0 ? Map.of() : parseQuery(rest.substring(query + 1), trimmed);
            return new Parts(
                    List.of(new Host("localhost", DEFAULT_PORT)),
                    database.isEmpty() ? null : decode(database, trimmed),
                    null,
                    null,
                    parameters);
        }
        throw new ConfigurationException("url (" + Masking.maskUrl(trimmed)
                + ") is not a PostgreSQL URL: use postgresql://user:password@host:5432/database or"
                + " jdbc:postgresql://host:5432/database");
    }

    private static Parts parseAuthorityUrl(String url, int start, boolean libpq) {
        if (url.indexOf('#', start) >= 0) {
            throw new ConfigurationException("url (" + Masking.maskUrl(url) + ") contains '#', which a PostgreSQL URL"
                    + " cannot hold unencoded: percent-encode it as %23 (in a password too)");
        }
        // As RFC 3986 and Python's urlparse read it: the authority ends at the first '/' or '?', and the user
        // information runs to its last '@' (so a password may hold '@').
        int authorityEnd = start;
        while (authorityEnd < url.length() && url.charAt(authorityEnd) != '/' && url.charAt(authorityEnd) != '?') {
            authorityEnd++;
        }
        String authority = url.substring(start, authorityEnd);
        String rest = url.substring(authorityEnd);
        int at = authority.lastIndexOf('@');
        if (rest.indexOf('@') >= 0) {
            // "user:pa/ss@host" or "user:a@b/c@host": a '/' or '?' of the password ended the host part early, so
            // pieces of the password would be read as host, database or parameters. Nothing is guessed.
            throw new ConfigurationException("url (" + Masking.maskUrl(url) + ") cannot be read: it has an '@' after"
                    + " its host part, so its password (or user name) seems to contain '/' or '?' unencoded."
                    + " Percent-encode them (/ as %2F, ? as %3F, @ as %40, # as %23; an '@' in a parameter value as"
                    + " %40 too), or give the password separately (DatabaseConfig.Builder.password, PGPASSWORD)");
        }

        int queryStart = rest.indexOf('?');
        String path = queryStart < 0 ? rest : rest.substring(0, queryStart);
        Map<String, String> parameters =
                queryStart < 0 ? new LinkedHashMap<>() : parseQuery(rest.substring(queryStart + 1), url);
        String database = path.startsWith("/") ? path.substring(1) : null;

        String user = null;
        String password = null;
        if (at >= 0) {
            if (!libpq) {
                throw new ConfigurationException("url (" + Masking.maskUrl(url)
                        + ") puts user@ in a jdbc:postgresql: URL, which pgJDBC does not read: pass"
                        + " ?user=…&password=… or use a postgresql:// URL");
            }
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), url);
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1), url);
            user = user.isEmpty() ? null : user;
        }
        List<Host> hosts = parseHosts(authority, url);
        return new Parts(
                hosts,
                database == null || database.isEmpty() ? null : decode(database, url),
                user,
                password,
                parameters);
    }

    /** Parses {@code h1:p1,h2,[::1]:p3}; an empty host list means localhost. */
    private static List<Host> parseHosts(String authority, String url) {
        List<Host> hosts = new ArrayList<>();
        if (authority.isEmpty()) {
            hosts.add(new Host("localhost", DEFAULT_PORT));
            return hosts;
        }
        for (String spec : authority.split(",", -1)) {
            String host;
            String port = null;
            if (spec.startsWith("[")) {
                int close = spec.indexOf(']');
                if (close < 0) {
                    throw new ConfigurationException(
                            "url (" + Masking.maskUrl(url) + ") has an IPv6 host without its closing ]");
                }
                host = spec.substring(1, close);
                String after = spec.substring(close + 1);
                if (after.startsWith(":")) {
                    port = after.substring(1);
                } else if (!after.isEmpty()) {
                    throw new ConfigurationException(
                            "url (" + Masking.maskUrl(url) + ") has junk after host [" + host + "]");
                }
            } else {
                int colon = spec.lastIndexOf(':');
                host = colon < 0 ? spec : spec.substring(0, colon);
                port = colon < 0 ? null : spec.substring(colon + 1);
            }
            host = decode(host, url);
            if (host.startsWith("/")) {
                throw new ConfigurationException("url (" + Masking.maskUrl(url)
                        + ") names a Unix-domain socket (" + host
                        + "), which the JDBC driver cannot use: connect over TCP, e.g. host 127.0.0.1");
            }
            hosts.add(new Host(host.isEmpty() ? "localhost" : host, parsePort(port, url)));
        }
        return hosts;
    }

    public static int parsePort(String port, String context) {
        if (port == null || port.isEmpty()) {
            return DEFAULT_PORT;
        }
        try {
            int value = Integer.parseInt(port);
            if (value >= 1 && value <= 65535) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigurationException(
                "port ('" + port + "') in " + Masking.maskUrl(context) + " must be a number between 1 and 65535");
    }

    private static Map<String, String> parseQuery(String query, String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                // the pair itself is not shown: a password with an unencoded '?' ends up here
                throw new ConfigurationException("url (" + Masking.maskUrl(url) + ") has a query parameter without a"
                        + " value; write name=value, and percent-encode '?' in a password as %3F");
            }
            parameters.put(decode(pair.substring(0, eq), url), decode(pair.substring(eq + 1), url));
        }
        return parameters;
    }

    private static String decode(String text, String url) {
        try {
            // URLDecoder turns '+' into a space, which percent-encoding in URIs does not; keep '+' literal.
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // neither the decoder's message nor the exception: both quote the text, which may be the password
            throw new ConfigurationException("url (" + Masking.maskUrl(url) + ") has a bad percent-encoding: a %"
                    + " not followed by two hexadecimal digits. Write a literal % as %25 (in a password too)");
        }
    }

    /**
     * Parses libpq's {@code options} value ({@code -c name=value -c other=value}, or {@code --name=value})
     * into settings. Backslash escapes a space or a backslash, as libpq documents.
     */
    public static Map<String, String> parseOptions(String options) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (c == '\\' && i + 1 < options.length()) {
                current.append(options.charAt(++i));
            } else if (Character.isWhitespace(c)) {
                if (!current.isEmpty()) {
                    words.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (!current.isEmpty()) {
            words.add(current.toString());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String assignment;
            if (word.equals("-c") && i + 1 < words.size()) {
                assignment = words.get(++i);
            } else if (word.startsWith("-c")) {
                assignment = word.substring(2);
            } else if (word.startsWith("--")) {
                assignment = word.substring(2);
            } else {
                throw new ConfigurationException(
                        "options ('" + options + "') must be -c name=value pairs, e.g. -c statement_timeout=5s");
            }
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new ConfigurationException(
                        "options ('" + options + "') has '" + assignment + "' without =value; write -c name=value");
            }
            settings.put(assignment.substring(0, eq).replace('-', '_'), assignment.substring(eq + 1));
        }
        return settings;
    }

    /** Formats settings as a startup {@code options} value, escaping spaces and backslashes. */
    public static String formatOptions(Map<String, String> settings) {
        StringBuilder options = new StringBuilder();
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            if (!options.isEmpty()) {
                options.append(' ');
            }
            options.append("-c ").append(setting.getKey()).append('=');
            String value = setting.getValue();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\\' || Character.isWhitespace(c)) {
                    options.append('\\');
                }
                options.append(c);
            }
        }
        return options.toString();
    }
}
