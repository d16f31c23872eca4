package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.DatabaseManager;
import io.pgdbm.migrations.MigrationException;
import io.pgdbm.postgres.IsolatedDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestDatabaseFactoryTest {
    private static final MigrationSpec ACCOUNTS = MigrationSpec.of("classpath:db/accounts", "accounts", "bank");
    private static TestDatabaseFactory factory;

    @BeforeAll
    static void start() {
        factory = TestDatabaseFactory.builder().prefetch(2).build();
    }

    @AfterAll
    static void stop() {
        factory.close();
    }

    private static boolean exists(String database) throws Exception {
        try (Connection c = factory.server().connect(factory.server().adminDatabase());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + database + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    private static void awaitGone(String database) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (exists(database)) {
            assertThat(System.nanoTime())
                    .as("database %s dropped in time", database)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void handsOutIsolatedDatabasesAndDropsThemOnClose() throws Exception {
        TestDatabase first = factory.create();
        TestDatabase second = factory.create();
        assertThat(first.name()).startsWith("test_").isNotEqualTo(second.name());
        first.manager().execute("CREATE TABLE only_here (id int)");
        assertThat(first.manager().tableExists("only_here")).isTrue();
        assertThat(second.manager().tableExists("only_here")).isFalse();
        first.close();
        second.close();
        awaitGone(first.name());
        awaitGone(second.name());
    }

    @Test
    void namesCarryTheSuffixAndTheManagerTheSchema() {
        try (TestDatabase db = factory.create("orders", "orders")) {
            assertThat(db.name()).matches("test_[0-9a-f]{12}_orders");
            assertThat(db.manager().schema()).contains("orders");
            assertThat(db.manager()
                            .fetchValue(
                                    Boolean.class,
                                    "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'orders')"))
                    .isTrue();
        }
        assertThatThrownBy(() -> factory.create("Bad-Suffix", "s")).hasMessageContaining("suffix");
    }

    @Test
    void migratedDatabasesAreClonedFromOneTemplate() throws Exception {
        for (int i = 0; i < 4; i++) {
            try (TestDatabase db = factory.create(ACCOUNTS)) {
                DatabaseManager bank = db.manager();
                assertThat(bank.schema()).contains("bank");
                assertThat(bank.tableExists("accounts")).isTrue();
                assertThat(bank.tableExists("accounts_schema_history")).isTrue();
                bank.execute("INSERT INTO {{tables.accounts}} (owner) VALUES ($1)", "ada" + i);
                assertThat(bank.fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                        .isEqualTo(1L);
            }
        }
        String template = templateName(ACCOUNTS);
        String family = template.substring(0, template.lastIndexOf('_') + 1);
        try (Connection c = factory.server().connect(factory.server().adminDatabase());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM pg_database WHERE starts_with(datname, '" + family + "')")) {
            rs.next();
            assertThat(rs.getInt(1)).as("one template serves every clone").isEqualTo(1);
        }
    }

    @Test
    void changedMigrationsBuildANewTemplateAndDropTheOldOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("001_t.sql"), "CREATE TABLE {{tables.t}} (id int);\n");
        MigrationSpec spec = MigrationSpec.of(dir.toString(), "changing", "changing");
        String firstTemplate;
        try (TestDatabase db = factory.create(spec)) {
            assertThat(db.manager().tableExists("t")).isTrue();
            firstTemplate = templateName(spec);
        }
        Files.writeString(dir.resolve("002_u.sql"), "CREATE TABLE {{tables.u}} (id int);\n");
        try (TestDatabase db = factory.create(spec)) {
            // The prefetched clones of the old template are not handed out: the key changed.
            assertThat(db.manager().tableExists("u")).isTrue();
        }
        String secondTemplate = templateName(spec);
        assertThat(secondTemplate).isNotEqualTo(firstTemplate);
        assertThat(exists(secondTemplate)).isTrue();
        assertThat(exists(firstTemplate)).as("the outdated template is dropped").isFalse();
    }

    private static String templateName(MigrationSpec spec) throws Exception {
        IsolatedDatabases.Template template = factory.template(List.of(spec));
        try (IsolatedDatabases databases = IsolatedDatabases.on(factory.server())) {
            return databases.ensureTemplate(template);
        }
    }

    @Test
    void badMigrationsFailWithTheirFile() {
        assertThatThrownBy(() -> factory.create(MigrationSpec.of("classpath:db/nowhere", "nowhere", "s")))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("no migrations folder db/nowhere");
    }

    @Test
    void manyThreadsGetDatabasesAtOnce() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(6);
        List<Future<String>> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Callable<String> work = () -> {
                try (TestDatabase db = factory.create(ACCOUNTS)) {
                    db.manager().execute("INSERT INTO {{tables.accounts}} (owner) VALUES ('x')");
                    assertThat(db.manager().fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                            .isEqualTo(1L);
                    return db.name();
                }
            };
            names.add(executor.submit(work));
        }
        List<String> distinct = new ArrayList<>();
        for (Future<String> name : names) {
            distinct.add(name.get(120, TimeUnit.SECONDS));
        }
        executor.shutdown();
        assertThat(distinct).doesNotHaveDuplicates().hasSize(12);
    }

    @Test
    void leakedDatabasesOfDeadRunsAreSweptButOthersAreNot() throws Exception {
        try (Connection c = factory.server().connect(factory.server().adminDatabase());
                Statement s = c.createStatement()) {
            String host = java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
            s.execute("CREATE DATABASE test_deadbeef0001_leaked");
            s.execute("COMMENT ON DATABASE test_deadbeef0001_leaked IS 'pgdbm-test host=" + host
                    + " pid=2147480000 created=" + (System.currentTimeMillis() / 1000) + "'");
            s.execute("CREATE DATABASE test_deadbeef0002_old");
            s.execute("COMMENT ON DATABASE test_deadbeef0002_old IS 'pgdbm-test host=elsewhere pid=1 created=1000'");
            s.execute("CREATE DATABASE test_deadbeef0003_someone_elses");
            s.execute("CREATE DATABASE test_deadbeef0004_alive");
            s.execute("COMMENT ON DATABASE test_deadbeef0004_alive IS 'pgdbm-test host=" + host + " pid="
                    + ProcessHandle.current().pid() + " created=" + (System.currentTimeMillis() / 1000) + "'");
        }
        try (IsolatedDatabases databases = IsolatedDatabases.on(factory.server())) {
            assertThat(databases.sweepLeaks()).isGreaterThanOrEqualTo(2);
        }
        assertThat(exists("test_deadbeef0001_leaked")).as("its process is gone").isFalse();
        assertThat(exists("test_deadbeef0002_old")).as("older than six hours").isFalse();
        assertThat(exists("test_deadbeef0003_someone_elses"))
                .as("no pgdbm comment: not ours")
                .isTrue();
        assertThat(exists("test_deadbeef0004_alive"))
                .as("this process is alive")
                .isTrue();
        try (Connection c = factory.server().connect(factory.server().adminDatabase());
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE test_deadbeef0003_someone_elses");
            s.execute("DROP DATABASE test_deadbeef0004_alive");
        }
    }
}
