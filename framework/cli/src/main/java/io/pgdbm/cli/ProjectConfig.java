package io.pgdbm.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pgdbm.toml, read and checked: the format of the Python pgdbm, every key honoured.
 *
 * @param file the file read; empty when none was found (then {@code DATABASE_URL} and {@code ./migrations})
 * @param projectName {@code [project] name}
 * @param defaultEnv {@code [project] default_env}: the environment used without {@code --env}
 * @param environments {@code [environments.NAME]}
 * @param modules {@code [modules.NAME]}, in file order
 * @param sharedPool {@code [shared_pool]}
 * @param migrationsTable {@code [database] migrations_table} (the Python pgdbm's single history table; here
 *     each module has its own here: read, and reported as unused)
 * @param baseDirectory what relative paths are resolved against: the file's directory, or the working one
 */
public record ProjectConfig(
        Optional<Path> file,
        Optional<String> projectName,
        Optional<String> defaultEnv,
        Map<String, Environment> environments,
        Map<String, Module> modules,
        Optional<SharedPool> sharedPool,
        Optional<String> migrationsTable,
        Path baseDirectory) {

    /**
     * One {@code [environments.NAME]} table: a {@code url} (or {@code connection_string}), or discrete
     * fields; the default schema; TLS; a direct {@code migration_url} and {@code transaction_pooling} for a
     * pooler in front of the server. {@code unresolved} holds the error when a value names an unset
     * environment variable.
     */
    public record Environment(
            String name,
            Optional<String> url,
            Optional<String> host,
            Optional<Integer> port,
            Optional<String> database,
            Optional<String> user,
            Optional<String> password,
            Optional<String> schema,
            boolean sslEnabled,
            Optional<String> sslMode,
            Optional<String> sslCaFile,
            Optional<String> sslCertFile,
            Optional<String> sslKeyFile,
            Optional<String> migrationUrl,
            boolean transactionPooling,
            Optional<String> unresolved) {

        /** An environment whose values name an unset variable: an error once it is chosen. */
        static Environment unresolved(String name, String problem) {
            return new Environment(
                    name,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    Optional.of(problem));
        }
    }

    /** One {@code [modules.NAME]} table. */
    public record Module(
            String name, String migrationsPath, Optional<String> schema, Mode mode, List<String> dependsOn) {}

    /** How a module is meant to be used (documentation for readers of the file; all migrate the same). */
    public enum Mode {
        STANDALONE,
        LIBRARY,
        DUAL
    }

    /** {@code [shared_pool]}: the pool commands that open several modules share. */
    public record SharedPool(int minConnections, int maxConnections, List<String> modules) {}
}
