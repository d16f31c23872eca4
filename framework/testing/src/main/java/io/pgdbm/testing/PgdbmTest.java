package io.pgdbm.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a JUnit 5 test class against isolated PostgreSQL databases with its {@link Migrations} applied.
 * Tests receive a {@code DatabaseManager}, {@code SharedPool}, {@link TestDatabase} or {@link
 * TestDatabaseFactory} as a parameter, or in a field marked {@link InjectDatabase}.
 *
 * <pre>{@code
 * @PgdbmTest
 * @Migrations(location = "classpath:db/users", module = "users", schema = "users")
 * class UsersTest {
 *     @Test
 *     void createsAUser(DatabaseManager db) {
 *         db.execute("INSERT INTO {{tables.users}} (email) VALUES ($1)", "a@b.c");
 *     }
 * }
 * }</pre>
 *
 * <p>Safe under JUnit's parallel execution.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(PgdbmExtension.class)
public @interface PgdbmTest {
    /** How tests are isolated; default a fresh database per test method. */
    Isolation isolation() default Isolation.PER_METHOD;
}
