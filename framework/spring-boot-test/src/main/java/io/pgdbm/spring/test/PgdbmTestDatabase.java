package io.pgdbm.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a Spring test's application context on an isolated database instead of the one the application is
 * configured for. Each application context gets its own empty database on the test server
 * ({@code PGDBM_TEST_URL}, else an embedded PostgreSQL, else Testcontainers); the starter applies every
 * module's migrations to it at start-up, as in production; the database is dropped when the context closes
 * (Spring closes cached contexts when the JVM exits). Test classes whose contexts Spring caches as one share
 * it, and so its database: use {@code @Transactional} test methods, or clean up, to keep tests apart.
 *
 * <pre>{@code
 * @SpringBootTest
 * @PgdbmTestDatabase
 * class CartTest {
 *     @Autowired Cart cart;
 *     ...
 * }
 * }</pre>
 *
 * <p>The database reaches the application as a {@code JdbcConnectionDetails} bean (of type
 * {@link PgdbmTestDatabaseConnection}), which the starter prefers to {@code pgdbm.url} and
 * {@code spring.datasource.url}; inject it to learn the database's name. Only the starter's pool moves: a
 * {@code SharedPool} or {@code DataSource} bean the application builds from its own URL stays where it
 * points.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface PgdbmTestDatabase {}
