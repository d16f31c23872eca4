/**
 * {@code @PgdbmTestDatabase}: a database of its own for each Spring test context.
 *
 * <p>Types are non-null unless annotated {@code @Nullable} (JSpecify).
 */
@NullMarked
package io.pgdbm.spring.test;

import org.jspecify.annotations.NullMarked;
