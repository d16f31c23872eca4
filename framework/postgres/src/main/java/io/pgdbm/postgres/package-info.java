/**
 * Finding or starting a PostgreSQL server for tests and tools: a URL, an embedded server, Testcontainers,
 * and throw-away databases on it.
 *
 * <p>Types are non-null unless annotated {@code @Nullable} (JSpecify).
 */
@NullMarked
package io.pgdbm.postgres;

import org.jspecify.annotations.NullMarked;
