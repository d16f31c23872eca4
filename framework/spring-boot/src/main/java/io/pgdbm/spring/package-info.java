/**
 * Spring Boot auto-configuration: the shared pool, module managers and migrations, transactions,
 * health, metrics and problem details.
 *
 * <p>Types are non-null unless annotated {@code @Nullable} (JSpecify).
 */
@NullMarked
package io.pgdbm.spring;

import org.jspecify.annotations.NullMarked;
