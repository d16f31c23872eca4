/**
 * How pgdbm drives Flyway: scanning migration folders (filesystem or class path, also inside jars),
 * resolving pgdbm and Flyway file names, rendering templates per schema while checksumming the template,
 * and serialising runners with advisory locks. Unsupported API.
 *
 * <p>The resolver builds on Flyway's own SQL parser and executor ({@code SqlScriptFactory}, {@code
 * SqlMigrationExecutor}, {@code ResolvedMigrationImpl}), which are internal to Flyway: the Flyway version
 * is pinned in the parent pom and the migration tests cover the combination.
 */
package io.pgdbm.internal.migrations;
