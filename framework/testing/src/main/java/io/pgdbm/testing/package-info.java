/**
 * JUnit support: isolated test databases, dual-mode runs, fixtures and table helpers.
 *
 * <p>Types are non-null unless annotated {@code @Nullable} (JSpecify).
 */
@NullMarked
package io.pgdbm.testing;

import org.jspecify.annotations.NullMarked;
