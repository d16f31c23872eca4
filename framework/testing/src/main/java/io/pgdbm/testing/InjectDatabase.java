package io.pgdbm.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field (or parameter) of a {@link PgdbmTest} class to receive a {@code DatabaseManager}, {@code
 * SharedPool}, {@link TestDatabase} or {@link TestDatabaseFactory}. {@link #schema()} picks the schema of
 * an injected {@code DatabaseManager}; by default it is the first {@link Migrations}' schema.
 *
 * <pre>{@code
 * @InjectDatabase DatabaseManager users;
 * @InjectDatabase(schema = "orders") DatabaseManager orders;
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
public @interface InjectDatabase {
    String schema() default "";
}
