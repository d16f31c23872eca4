package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationException;
import io.pgdbm.postgres.IsolatedDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
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

    private static void awaitGone(String database) {
        Awaitility.await("database " + database + " dropped")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !exists(database));
    }

    @Test
    void handsOutIsolatedDatabasesAndDropsOneWhoseCatalogChanged() throws Exception {
        TestDatabase first = factory.create();
        TestDatabase second = factory.create();
        assertThat(first.name()).startsWith("test_").isNotEqualTo(second.name());
        first.manager().execute("CREATE TABLE only_here (id int)");
        assertThat(first.manager().tableExists("only_here")).isTrue();
        assertThat(second.manager().tableExists("only_here")).isFalse();
        first.close();
        second.close();
        awaitGone(first.name()); // DDL: never reused
        try (TestDatabase next = factory.create()) {
            assertThat(next.name()).isNotEqualTo(first.name());
            assertThat(next.manager().tableExists("only_here")).isFalse();
        }
    }

    private static final MigrationSpec SEEDED = MigrationSpec.of("classpath:db/seeded", "seeded", "club");

    /** Everything a test could see of the data: every table's rows and every sequence's next value. */
    private static String content(TestDatabase database) {
        DatabaseManager admin = database.manager();
        StringBuilder content = new StringBuilder();
        for (String table : admin.fetchAll(
                String.class,
                "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename)"
                        + " FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")) {
            content.append(table)
                    .append('=')
                    .append(admin.fetchValue(
                            String.class,
                            "SELECT coalesce(string_agg(t::text, ';' ORDER BY t::text), '') FROM " + table + " t"))
                    .append('\n');
        }
        content.append(admin.fetchValue(
                String.class,
                "SELECT string_agg(sequencename || ':' || coalesce(last_value, -1),"
                        + " ',' ORDER BY sequencename) FROM pg_sequences"));
        return content.toString();
    }

    @Test
    void aDatabaseWhoseTestChangedOnlyDataIsResetAndHandedOutAgain() {
        String template;
        String name;
        try (TestDatabaseFactory factory =
                TestDatabaseFactory.builder().prefetch(0).build()) {
            TestDatabase first = factory.create(SEEDED);
            template = content(first);
            name = first.name();
            DatabaseManager club = first.manager();
            club.execute("INSERT INTO {{tables.plans}} (name) VALUES ('enterprise')");
            club.execute("INSERT INTO {{tables.members}} (plan_id, email) VALUES (3, 'new@example.com')");
            club.execute("UPDATE {{tables.plans}} SET name = 'gratis' WHERE name = 'free'");
            club.execute("DELETE FROM {{tables.audit}}");
            club.fetchValue(Long.class, "SELECT nextval('{{schema}}.invoice_numbers')");
            club.execute("TRUNCATE {{tables.audit}}"); // emptying a table is a change of data, not of the catalog
            club.execute("CREATE TEMP TABLE scratch AS SELECT 1 AS one"); // gone with the test's sessions
            assertThat(content(first)).isNotEqualTo(template);
            first.close();
            // the reset copied the seed rows back without firing the audit trigger again, and set the sequences
            // after a test that only changed data, the database's own pool serves on (its connections stay open;
            // how many Hikari keeps idle at a given moment is its business)
            java.util.Set<SharedPool> pools = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (int i = 0; i < 3; i++) {
                try (TestDatabase next = factory.create(SEEDED)) {
                    if (i > 0) {
                        pools.add(next.ownPool());
                        assertThat(next.ownPool().isClosed()).isFalse();
                    }
                    assertThat(next.name()).as("reused, not cloned").isEqualTo(name);
                    assertThat(content(next)).isEqualTo(template);
                    // a manager the last test kept cannot write into this one: its pool closed with it
                    assertThatThrownBy(() -> club.execute("DELETE FROM {{tables.members}}"))
                            .hasMessageContaining("closed");
                    assertThat(content(next)).isEqualTo(template);
                    next.manager().execute("INSERT INTO {{tables.members}} (plan_id, email) VALUES (2, $1)", "x" + i);
                }
            }
            assertThat(pools).as("one pool, kept across tests").hasSize(1);
        }
    }

    @Test
    void aDatabaseStillLendingAConnectionOrWhoseTestRanDdlIsNotReused() throws Exception {
        String lending;
        java.sql.Connection kept;
        try (TestDatabase first = factory.create(SEEDED)) {
            lending = first.name();
            kept = first.pool().acquire(); // never given back
        }
        awaitGone(lending);
        assertThat(kept.isValid(1)).isFalse();

        String altered;
        try (TestDatabase second = factory.create(SEEDED)) {
            altered = second.name();
            second.manager().execute("ALTER TABLE {{tables.plans}} ADD COLUMN price numeric");
        }
        awaitGone(altered);
        for (String ddl : List.of(
                "CREATE INDEX ON {{tables.audit}} (entry)",
                "COMMENT ON TABLE {{tables.audit}} IS 'x'",
                "ALTER SEQUENCE {{schema}}.invoice_numbers INCREMENT 5",
                "CREATE SCHEMA extra",
                "COMMENT ON FUNCTION pg_catalog.md5(text) IS 'built-in, commented'",
                "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET work_mem = ''8MB''', current_database()); END $$")) {
            String changed;
            try (TestDatabase database = factory.create(SEEDED)) {
                changed = database.name();
                database.manager().execute(ddl);
            }
            try (TestDatabase next = factory.create(SEEDED)) {
                assertThat(next.name()).as(ddl).isNotEqualTo(changed);
            }
        }
    }

    @Test
    void sessionsATestOpenedItselfAreEndedBeforeTheDatabaseIsReused() throws Exception {
        String name;
        java.sql.Connection own;
        try (TestDatabaseFactory factory =
                TestDatabaseFactory.builder().prefetch(0).build()) {
            try (TestDatabase first = factory.create(SEEDED)) {
                name = first.name();
                own = factory.server().connect(first.name()); // the test's own connection, left open
                try (Statement statement = own.createStatement()) {
                    statement.execute("SELECT pg_advisory_lock(77)");
                }
            }
            try (TestDatabase next = factory.create(SEEDED)) {
                assertThat(next.name()).isEqualTo(name);
                assertThat(own.isValid(1)).isFalse();
                assertThat(next.manager().fetchValue(Boolean.class, "SELECT pg_try_advisory_lock(77)"))
                        .isTrue();
            }
        }
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
        java.util.Set<String> inUse = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ExecutorService executor = Executors.newFixedThreadPool(6);
        List<Future<String>> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Callable<String> work = () -> {
                try (TestDatabase db = factory.create(ACCOUNTS)) {
                    assertThat(inUse.add(db.name()))
                            .as("%s handed out twice at once", db.name())
                            .isTrue();
                    db.manager().execute("INSERT INTO {{tables.accounts}} (owner) VALUES ('x')");
                    assertThat(db.manager().fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                            .isEqualTo(1L);
                    inUse.remove(db.name());
                    return db.name();
                }
            };
            names.add(executor.submit(work));
        }
        for (Future<String> name : names) {
            name.get(120, TimeUnit.SECONDS);
        }
        executor.shutdown();
        assertThat(inUse).as("no database handed to two tests at once").isEmpty();
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
