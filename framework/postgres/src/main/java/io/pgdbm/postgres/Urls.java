package io.pgdbm.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** The little URL handling this module needs: parse a server URL, encode URL parts. */
final class Urls {
    private Urls() {}

    static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The parts of a {@code postgresql://} or {@code jdbc:postgresql://} URL. */
    record ServerAddress(String host, int port, String user, Optional<String> password, String database) {}

    static ServerAddress parse(String url, String source) {
        String text = url.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:")) {
            text = text.substring(5);
            lower = lower.substring(5);
        }
        if (!lower.startsWith("postgresql://") && !lower.startsWith("postgres://")) {
            throw new IllegalArgumentException(source + " must be a postgresql:// or jdbc:postgresql:// URL, e.g."
                    + " postgresql://postgres@127.0.0.1:5432/postgres");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(source + " is not a valid URL: " + e.getReason(), e);
        }
        String user = "postgres";
        Optional<String> password = Optional.empty();
        String rawUserInfo = uri.getRawUserInfo();
        if (rawUserInfo != null) {
            int colon = rawUserInfo.indexOf(':');
            user = decode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon));
            password = colon < 0 ? Optional.empty() : Optional.of(decode(rawUserInfo.substring(colon + 1)));
        }
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals("user")) {
                    user = decode(pair.substring(eq + 1));
                } else if (eq > 0 && pair.substring(0, eq).equals("password")) {
                    password = Optional.of(decode(pair.substring(eq + 1)));
                }
            }
        }
        String host = uri.getHost() == null ? "localhost" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String path = uri.getPath();
        String database = path == null || path.length() <= 1 ? "postgres" : decode(path.substring(1));
        return new ServerAddress(host, port, user, password, database);
    }
}
