package io.pgdbm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads pgdbm.toml with tomlj and checks it: unknown tables and keys, wrong types and unset environment
 * variables are errors that name the file, the line and the key. {@code ${VAR}} and {@code ${VAR:-default}}
 * are expanded in every string value.
 */
public final class ConfigLoader {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Set<String> TOP = Set.of("project", "database", "environments", "modules", "shared_pool");
    private static final Set<String> PROJECT = Set.of("name", "default_env");
    private static final Set<String> DATABASE = Set.of("migrations_table");
    private static final Set<String> ENVIRONMENT = Set.of(
            "url",
            "connection_string",
            "host",
            "port",
            "database",
            "user",
            "password",
            "schema",
            "ssl_enabled",
            "ssl_mode",
            "ssl_ca_file",
            "ssl_cert_file",
            "ssl_key_file",
            "migration_url",
            "transaction_pooling");
    private static final Set<String> MODULE = Set.of("migrations_path", "schema", "mode", "depends_on");
    private static final Set<String> SHARED_POOL = Set.of("min_connections", "max_connections", "modules");

    private final Path file;
    private final Map<String, String> env;

    private ConfigLoader(Path file, Map<String, String> env) {
        this.file = file;
        this.env = env;
    }

    /** Reads {@code file}, expanding variables from {@code env}. */
    public static ProjectConfig load(Path file, Map<String, String> env) {
        if (!Files.isRegularFile(file)) {
            throw CliException.config("Configuration file " + file + " does not exist"
                    + " (create one with `pgdbm generate config`, or drop --config to use DATABASE_URL)");
        }
        TomlParseResult toml;
        try {
            toml = Toml.parse(file);
        } catch (IOException e) {
            throw CliException.config("Cannot read " + file + ": " + e.getMessage());
        }
        if (toml.hasErrors()) {
            List<String> problems = new ArrayList<>();
            for (TomlParseError error : toml.errors()) {
                problems.add(file.getFileName() + ":" + error.position().line() + ":"
                        + error.position().column() + ": " + error.getMessage());
            }
            throw CliException.config("Invalid TOML in " + file + ":\n  " + String.join("\n  ", problems));
        }
        return new ConfigLoader(file, env).read(toml);
    }

    /** No file: one module, {@code default}, with {@code ./migrations}; the connection from the environment. */
    public static ProjectConfig none(Path workingDirectory) {
        Map<String, ProjectConfig.Module> modules = new LinkedHashMap<>();
        modules.put(
                "default",
                new ProjectConfig.Module(
                        "default", "migrations", Optional.empty(), ProjectConfig.Mode.DUAL, List.of()));
        return new ProjectConfig(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                modules,
                Optional.empty(),
                Optional.empty(),
                workingDirectory);
    }

    private ProjectConfig read(TomlTable root) {
        checkKeys(root, "", TOP);
        TomlTable project = table(root, "project", "");
        Optional<String> name = Optional.empty();
        Optional<String> defaultEnv = Optional.empty();
        if (project != null) {
            checkKeys(project, "project", PROJECT);
            name = string(project, "name", "project");
            defaultEnv = string(project, "default_env", "project");
        }
        Optional<String> migrationsTable = Optional.empty();
        TomlTable database = table(root, "database", "");
        if (database != null) {
            checkKeys(database, "database", DATABASE);
            migrationsTable = string(database, "migrations_table", "database");
        }

        Map<String, ProjectConfig.Environment> environments = new LinkedHashMap<>();
        TomlTable envs = table(root, "environments", "");
        if (envs != null) {
            for (String envName : envs.keySet()) {
                TomlTable t = table(envs, envName, "environments");
                String where = "environments." + envName;
                checkKeys(t, where, ENVIRONMENT);
                ProjectConfig.Environment environment;
                try {
                    environment = new ProjectConfig.Environment(
                            envName,
                            string(t, "url", where).or(() -> string(t, "connection_string", where)),
                            string(t, "host", where),
                            integer(t, "port", where),
                            string(t, "database", where),
                            string(t, "user", where),
                            string(t, "password", where),
                            string(t, "schema", where),
                            bool(t, "ssl_enabled", where).orElse(false),
                            string(t, "ssl_mode", where),
                            string(t, "ssl_ca_file", where),
                            string(t, "ssl_cert_file", where),
                            string(t, "ssl_key_file", where),
                            string(t, "migration_url", where),
                            bool(t, "transaction_pooling", where).orElse(false),
                            Optional.empty());
                } catch (UnsetVariableException e) {
                    // An environment not in use may name variables that are not set (prod's DATABASE_URL on a
                    // laptop): the error is raised only when the environment is chosen.
                    environment = ProjectConfig.Environment.unresolved(envName, e.getMessage());
                }
                environments.put(envName, environment);
                if (t.contains(List.of("url")) && t.contains(List.of("connection_string"))) {
                    throw error(t, "connection_string", where, "set url or connection_string, not both");
                }
            }
        }

        Map<String, ProjectConfig.Module> modules = new LinkedHashMap<>();
        TomlTable mods = table(root, "modules", "");
        if (mods != null) {
            for (String moduleName : mods.keySet()) {
                TomlTable t = table(mods, moduleName, "modules");
                String where = "modules." + moduleName;
                checkKeys(t, where, MODULE);
                String path = string(t, "migrations_path", where)
                        .orElseThrow(() -> error(
                                mods,
                                moduleName,
                                "modules",
                                "module '" + moduleName + "' needs migrations_path (a directory, or classpath:db/"
                                        + moduleName + ")"));
                ProjectConfig.Mode mode = ProjectConfig.Mode.DUAL;
                Optional<String> modeText = string(t, "mode", where);
                if (modeText.isPresent()) {
                    try {
                        mode = ProjectConfig.Mode.valueOf(modeText.get().toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw error(
                                t,
                                "mode",
                                where,
                                "mode must be standalone, library or dual, not '" + modeText.get() + "'");
                    }
                }
                modules.put(
                        moduleName,
                        new ProjectConfig.Module(
                                moduleName, path, string(t, "schema", where), mode, strings(t, "depends_on", where)));
            }
        }

        Optional<ProjectConfig.SharedPool> sharedPool = Optional.empty();
        TomlTable pool = table(root, "shared_pool", "");
        if (pool != null) {
            checkKeys(pool, "shared_pool", SHARED_POOL);
            int min = integer(pool, "min_connections", "shared_pool").orElse(10);
            int max = integer(pool, "max_connections", "shared_pool").orElse(100);
            if (min < 0 || max < 1 || min > max) {
                throw error(
                        pool,
                        pool.contains(List.of("min_connections")) ? "min_connections" : "max_connections",
                        "shared_pool",
                        "need 0 <= min_connections <= max_connections and max_connections >= 1" + " (got " + min
                                + " and " + max + ")");
            }
            List<String> members = strings(pool, "modules", "shared_pool");
            for (int i = 0; i < members.size(); i++) {
                if (!modules.containsKey(members.get(i))) {
                    throw error(
                            pool,
                            "modules",
                            "shared_pool",
                            "unknown module '" + members.get(i) + "' (modules: " + String.join(", ", modules.keySet())
                                    + ")");
                }
            }
            sharedPool = Optional.of(new ProjectConfig.SharedPool(min, max, members));
        }
        return new ProjectConfig(
                Optional.of(file),
                name,
                defaultEnv,
                environments,
                modules,
                sharedPool,
                migrationsTable,
                file.toAbsolutePath().getParent());
    }

    private void checkKeys(TomlTable table, String where, Set<String> known) {
        for (String key : table.keySet()) {
            if (!known.contains(key)) {
                throw error(
                        table,
                        key,
                        where,
                        "unknown key '" + key + "'"
                                + (where.isEmpty() ? " (tables: " : " (keys: ")
                                + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private TomlTable table(TomlTable parent, String key, String where) {
        Object value = parent.get(List.of(key));
        if (value == null) {
            return null;
        }
        if (!(value instanceof TomlTable t)) {
            throw error(parent, key, where, "must be a table ([" + join(where, key) + "])");
        }
        return t;
    }

    private Optional<String> string(TomlTable table, String key, String where) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw error(table, key, where, "must be a string, not " + describe(value));
        }
        return Optional.of(expand(text, table.inputPositionOf(List.of(key)), join(where, key)));
    }

    private Optional<Integer> integer(TomlTable table, String key, String where) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Long number && number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE) {
            return Optional.of(number.intValue());
        }
        if (value instanceof String text) {
            String expanded = expand(text, table.inputPositionOf(List.of(key)), join(where, key));
            try {
                return Optional.of(Integer.parseInt(expanded.strip()));
            } catch (NumberFormatException e) {
                throw error(table, key, where, "must be an integer, not '" + expanded + "'");
            }
        }
        throw error(table, key, where, "must be an integer, not " + describe(value));
    }

    private Optional<Boolean> bool(TomlTable table, String key, String where) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        if (value instanceof String text) {
            String expanded = expand(text, table.inputPositionOf(List.of(key)), join(where, key))
                    .strip();
            if (expanded.equalsIgnoreCase("true") || expanded.equalsIgnoreCase("false")) {
                return Optional.of(Boolean.parseBoolean(expanded));
            }
            throw error(table, key, where, "must be true or false, not '" + expanded + "'");
        }
        throw error(table, key, where, "must be true or false, not " + describe(value));
    }

    private List<String> strings(TomlTable table, String key, String where) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof TomlArray array)) {
            throw error(table, key, where, "must be a list of strings, e.g. [\"users\"], not " + describe(value));
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Object item = array.get(i);
            if (!(item instanceof String text)) {
                throw error(table, key, where, "must be a list of strings; item " + (i + 1) + " is " + describe(item));
            }
            result.add(expand(text, array.inputPositionOf(i), join(where, key)));
        }
        return List.copyOf(result);
    }

    /** {@code ${VAR}} and {@code ${VAR:-default}} (the default also when VAR is empty, as in the shell). */
    private String expand(String text, TomlPosition position, String key) {
        if (text.indexOf("${") < 0) {
            return text;
        }
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null || (value.isEmpty() && m.group(2) != null)) {
                if (m.group(2) == null) {
                    throw new UnsetVariableException(location(position) + key + ": environment variable " + m.group(1)
                            + " is not set (set it, or write ${" + m.group(1) + ":-default})");
                }
                value = m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A {@code ${VAR}} without a default whose variable is not set. */
    static final class UnsetVariableException extends CliException {
        private static final long serialVersionUID = 1L;

        UnsetVariableException(String message) {
            super(ExitCodes.CONFIGURATION, message);
        }
    }

    private CliException error(TomlTable table, String key, String where, String message) {
        return new CliException(
                ExitCodes.CONFIGURATION,
                location(table.inputPositionOf(List.of(key))) + join(where, key) + ": " + message);
    }

    private String location(TomlPosition position) {
        return file.getFileName() + (position == null ? "" : ":" + position.line()) + ": ";
    }

    private static String join(String where, String key) {
        return where.isEmpty() ? key : where + "." + key;
    }

    private static String describe(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Long || value instanceof Double) {
            return "a number (" + value + ")";
        }
        if (value instanceof Boolean) {
            return "a boolean (" + value + ")";
        }
        if (value instanceof TomlArray) {
            return "a list";
        }
        if (value instanceof TomlTable) {
            return "a table";
        }
        return value.getClass().getSimpleName();
    }
}
