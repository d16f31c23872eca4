package io.pgdbm.migrations;

import java.time.Duration;
import java.util.Optional;

/**
 * One migration that {@link MigrationManager#applyPending()} ran.
 *
 * @param version the version as written in the file name; empty for a repeatable migration
 * @param description words from the file name
 * @param file the file's name
 * @param duration how long it took
 */
public record AppliedMigration(Optional<String> version, String description, String file, Duration duration) {}
