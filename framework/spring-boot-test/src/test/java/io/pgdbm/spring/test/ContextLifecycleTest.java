package io.pgdbm.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pgdbm.SharedPool;
import io.pgdbm.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;

class ContextLifecycleTest {

    @PgdbmTestDatabase
    static class Annotated {}

    @PgdbmTestDatabase
    static class AlsoAnnotated {
        @org.junit.jupiter.api.Nested
        class Inner {}
    }

    static class Plain {}

    private final PgdbmTestDatabaseCustomizerFactory factory = new PgdbmTestDatabaseCustomizerFactory();

    @Test
    void annotatedClassesGetEqualCustomizersSoSpringCachesOneContextForThem() {
        ContextCustomizer one = factory.createContextCustomizer(Annotated.class, List.of());
        ContextCustomizer two = factory.createContextCustomizer(AlsoAnnotated.class, List.of());
        ContextCustomizer nested = factory.createContextCustomizer(AlsoAnnotated.Inner.class, List.of());
        assertThat(one).isNotNull().isEqualTo(two).isEqualTo(nested).hasSameHashCodeAs(two);
        assertThat(factory.createContextCustomizer(Plain.class, List.of())).isNull();
    }

    @Test
    void theDatabaseLivesWithTheContextAndNoSecondPoolIsOpened() throws Exception {
        Logger poolLog = (Logger) LoggerFactory.getLogger(SharedPool.class);
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        poolLog.addAppender(warnings);
        ContextCustomizer customizer = factory.createContextCustomizer(Annotated.class, List.of());
        String name;
        PostgresServer server;
        try {
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ShopApplication.class)
                    .web(org.springframework.boot.WebApplicationType.NONE)
                    .initializers(ctx -> customizer.customizeContext(ctx, null))
                    .run()) {
                PgdbmTestDatabaseConnection database = context.getBean(PgdbmTestDatabaseConnection.class);
                name = database.databaseName();
                server = database.server();
                assertThat(exists(server, name)).isTrue();
                assertThat(context.getBean(ShopApplication.Shop.class).items()).isZero();
            }
            assertThat(exists(server, name))
                    .as("dropped when the context closed")
                    .isFalse();
        } finally {
            poolLog.detachAppender(warnings);
        }
        assertThat(warnings.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(message -> message.contains("pool open to"));
    }

    private static boolean exists(PostgresServer server, String name) throws Exception {
        try (Connection connection = server.connect(server.adminDatabase());
                PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
