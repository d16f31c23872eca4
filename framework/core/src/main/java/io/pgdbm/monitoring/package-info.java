/**
 * Monitoring: query events and statistics, health, diagnostics, metrics.
 *
 * <p>Types are non-null unless annotated {@code @Nullable} (JSpecify); a value that may be absent is an
 * {@code Optional}.
 */
@NullMarked
package io.pgdbm.monitoring;

import org.jspecify.annotations.NullMarked;
