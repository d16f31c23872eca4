/**
 * jOOQ classes generated from a module's migrations, applied to a scratch database.
 *
 * <p>Types are non-null unless annotated {@code @Nullable} (JSpecify).
 */
@NullMarked
package io.pgdbm.codegen;

import org.jspecify.annotations.NullMarked;
