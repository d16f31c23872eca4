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
    /** Longer text values are shown as their length only, as pgdbm shows them: they may be secrets. */
    static final int MAX_VALUE = 20;

    private static final Pattern PARAM_PASSWORD =
            Pattern.compile("((?:password|sslpassword|pass)=)([^&\\s]*)", Pattern.CASE_INSENSITIVE);
    /**
     * Where PostgreSQL echoes a value it was sent: {@code Key (col)=(value)}, {@code Failing row contains
     * (…)}, {@code invalid input syntax for type integer: "value"}, {@code COPY t, line 3, column c: "value"}.
     * Names it quotes (relations, constraints) are not values and stay.
     */
    private static final Pattern ECHOED_VALUE = Pattern.compile("(=\\(|Failing row contains \\()([^)\\n]{"
            + (MAX_VALUE + 1) + ",})(\\))|((?:syntax for type|input value for|, column) [^:\"\\n]*: \")([^\"\\n]{"
            + (MAX_VALUE + 1) + ",})(\")");

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

    /**
     * {@code PASSWORD 'secret'} becomes {@code PASSWORD '***'}, whatever the role, the case and the quoting
     * ({@code '…'}, {@code E'…'}, {@code U&'…'}, {@code $$…$$}, {@code $tag$…$tag$}), and {@code
     * password=secret} in a connection string inside the text becomes {@code password=***}.
     */
    public static String maskPasswordLiterals(String text) {
        if (text == null || text.length() < 10) {
            return text;
        }
        boolean mentioned = false;
        for (int i = 0; !mentioned && i + 4 <= text.length(); i++) {
            mentioned = text.regionMatches(true, i, "PASS", 0, 4);
        }
        if (!mentioned) {
            return text;
        }
        StringBuilder masked = null;
        SqlLexer lexer = new SqlLexer(text);
        boolean afterPassword = false;
        int shift = 0;
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            if (afterPassword && kind == SqlLexer.Kind.STRING) {
                masked = masked == null ? new StringBuilder(text) : masked;
                String replacement = "'" + MASK + "'";
                masked.replace(lexer.start() + shift, lexer.end() + shift, replacement);
                shift += replacement.length() - (lexer.end() - lexer.start());
            }
            afterPassword = kind == SqlLexer.Kind.WORD && lexer.wordIs("password");
        }
        String result = masked == null ? text : masked.toString();
        return PARAM_PASSWORD.matcher(result).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }

    /**
     * Replaces the password in a libpq or JDBC URL ({@code user:password@} and {@code password=…}) with
     * {@value #MASK}. The password of {@code user:password@host} is taken to run to the <em>last</em> {@code
     * @} of the URL, so a password holding {@code @}, {@code /}, {@code ?} or {@code #} unencoded is masked
     * whole (when the last {@code @} belongs to a query parameter instead, more is masked than needed).
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        String masked = url;
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme >= 0 && at > scheme) {
            int colon = url.indexOf(':', scheme + 3);
            if (colon >= 0 && colon < at) {
                masked = url.substring(0, colon + 1) + MASK + url.substring(at);
            }
        }
        return PARAM_PASSWORD.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }

    /**
     * The secret a configuration holds that messages must never show: its password (null when it has
     * none). Every masking of a configuration's secret reads it here.
     */
    public static String secret(io.pgdbm.DatabaseConfig config) {
        return config.password().orElse(null);
    }

    /** {@link #scrub(String, String)} with the configuration's {@link #secret}. */
    public static String scrub(String text, io.pgdbm.DatabaseConfig config) {
        return scrub(text, secret(config));
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

    /**
     * Shortens what the server echoed of values it was sent ({@code Key (token)=(…)}, {@code invalid input
     * syntax for type integer: "…"}) to their length when longer than {@value #MAX_VALUE} characters: for
     * failures where pgdbm no longer has the values (COPY, batches), as the arguments are shown.
     */
    public static String scrubEchoedValues(String message) {
        if (message == null) {
            return null;
        }
        return ECHOED_VALUE
                .matcher(message)
                .replaceAll(m -> Matcher.quoteReplacement(
                        m.group(1) != null
                                ? m.group(1) + "<" + m.group(2).length() + " chars>" + m.group(3)
                                : m.group(4) + "<" + m.group(5).length() + " chars>" + m.group(6)));
    }

    /** Describes arguments for a message: text over 20 characters as its length, {@link Secret}s and the password masked. */
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
            // as pgdbm shows them: long text may be a token or a password, so only its length is shown
            return "<" + text.length() + " chars>";
        }
        return quoted ? "'" + text + "'" : text;
    }
}
