/**
 * The API of pgdbm-core: pools, managers, queries, transactions and their errors.
 *
 * <p>Types are non-null unless annotated {@code @Nullable} (JSpecify); a value that may be absent is an
 * {@code Optional}.
 */
@NullMarked
package io.pgdbm;

import org.jspecify.annotations.NullMarked;
