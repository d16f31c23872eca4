package io.pgdbm.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test twice, once per way a dual-mode library can be used: {@code [standalone]} (the module gets a
 * URL and owns its pool) and {@code [library]} (the module gets a manager from the host's pool, in {@link
 * #schema()}). Each run gets a fresh empty database: the module must run its own migrations in both modes.
 *
 * <pre>{@code
 * @DualModeTest
 * void storesNotes(DualMode mode) {
 *     try (Notes notes = mode.open(Notes::new, Notes::new)) {
 *         notes.add("ada", "hello");
 *         assertThat(notes.byAuthor("ada")).hasSize(1);
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@TestTemplate
@ExtendWith(DualModeExtension.class)
public @interface DualModeTest {
    /** The schema the host gives the module in library mode. */
    String schema() default "library_mode";
}
