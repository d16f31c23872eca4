package io.pgdbm.internal;

import io.pgdbm.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Keeps secrets and bulky values out of messages and logs. */
public final class Masking {
    public static final String MASK = "***";
    private static final int MAX_SQL = 500;
    private static final int MAX_VALUE = 64;
    private static final int KEPT_PREFIX = 24;
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]*:)([^@\\s]*)(@)");
    private static final Pattern PASSWORD_LITERAL =
            Pattern.compile("(\\bPASSWORD\\s+)(?:E'(?:[^'\\\\]|\\\\.|'')*'|'(?:[^']|'')*')", Pattern.CASE_INSENSITIVE);
    private static final Pattern PARAM_PASSWORD =
            Pattern.compile("((?:password|sslpassword|pass)=)([^&\\s]*)", Pattern.CASE_INSENSITIVE);

    private Masking() {}

    /**
     * SQL as shown in messages and logs: {@code PASSWORD '…'} literals (CREATE/ALTER ROLE) masked, and
     * shortened past 500 characters.
     */
    public static String truncateSql(String sql) {
        if (sql == null) {
            return null;
        }
        String shown = maskPasswordLiterals(sql);
        if (shown.length() <= MAX_SQL) {
            return shown;
        }
        return shown.substring(0, MAX_SQL) + "… (" + shown.length() + " characters)";
    }

    /** {@code PASSWORD 'secret'} becomes {@code PASSWORD '***'}, whatever the role or the case. */
    public static String maskPasswordLiterals(String text) {
        if (text == null || text.length() < 10) {
            return text;
        }
        boolean mentioned = false;
        for (int i = 0; !mentioned && i + 8 <= text.length(); i++) {
            mentioned = text.regionMatches(true, i, "PASSWORD", 0, 8);
        }
        if (!mentioned) {
            return text;
        }
        return PASSWORD_LITERAL.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "'" + MASK + "'"));
    }

    /** Replaces the password in a libpq or JDBC URL (user:password@ and password=…) with {@value #MASK}. */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        String masked =
                URL_PASSWORD.matcher(url).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
        return PARAM_PASSWORD.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }

    /** Removes every occurrence of {@code secret} from {@code text}. */
    public static String scrub(String text, String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, MASK);
    }

    /**
     * Removes argument values the server echoed into its message ({@code invalid input syntax for type
     * integer: "…"}): {@link Secret}s become {@value #MASK}, long values their shortened description.
     */
    public static String scrubArguments(String message, Object[] args) {
        if (message == null || args == null) {
            return message;
        }
        String scrubbed = message;
        for (Object arg : args) {
            if (arg instanceof Secret secret && !secret.value().isEmpty()) {
                scrubbed = scrubbed.replace(secret.value(), MASK);
            } else if (arg instanceof CharSequence text && text.length() > MAX_VALUE) {
                scrubbed = scrubbed.replace(text, describe(text, null));
            }
        }
        return scrubbed;
    }

    /** Describes arguments for a message: long values shortened, {@link Secret}s and the password masked. */
    public static List<String> describeArguments(Object[] args, String password) {
        if (args == null || args.length == 0) {
            return List.of();
        }
        List<String> described = new ArrayList<>(args.length);
        for (Object arg : args) {
            described.add(describe(arg, password));
        }
        return described;
    }

    static String describe(Object value, String password) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Secret) {
            return MASK;
        }
        if (value instanceof byte[] bytes) {
            return "<" + bytes.length + " bytes>";
        }
        if (value instanceof Collection<?> collection && collection.size() > 8) {
            return "<" + collection.size() + " elements>";
        }
        String text = String.valueOf(value);
        if (password != null && !password.isEmpty() && text.contains(password)) {
            return MASK;
        }
        boolean quoted = value instanceof CharSequence;
        if (text.length() > MAX_VALUE) {
            text = text.substring(0, KEPT_PREFIX) + "…(" + text.length() + " chars)";
        }
        return quoted ? "'" + text + "'" : text;
    }
}
