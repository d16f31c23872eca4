/**
 * Migrations: one Flyway per module and schema, provisioning of many schemas, module order.
 *
 * <p>Types are non-null unless annotated {@code @Nullable} (JSpecify); a value that may be absent is an
 * {@code Optional}.
 */
@NullMarked
package io.pgdbm.migrations;

import org.jspecify.annotations.NullMarked;
