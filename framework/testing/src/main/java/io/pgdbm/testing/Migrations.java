package io.pgdbm.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Migrations to apply to a {@link PgdbmTest} class's databases, in declaration order. Repeat it for
 * several modules.
 *
 * <pre>{@code
 * @PgdbmTest
 * @Migrations(location = "classpath:db/users", module = "users", schema = "users")
 * @Migrations(location = "classpath:db/orders", module = "orders", schema = "orders")
 * class OrdersTest { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Migrations.List.class)
public @interface Migrations {
    /** A directory or {@code classpath:db/module}. */
    String location();

    /** The module name, as the application uses it. */
    String module();

    /** The schema to migrate; defaults to the module name. */
    String schema() default "";

    /** Holds repeated {@link Migrations}. */
    @Documented
    @Inherited
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface List {
        Migrations[] value();
    }
}
