package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class SharedPoolTest {

    @Test
    void sessionSettingsArriveAsStartupOptionsNotAsSqlOnEachBorrow(TestDatabase database) {
        try (SharedPool pool = SharedPool.create(database.config()
                .statementTimeout(Duration.ofSeconds(42))
                .serverSetting("work_mem", "8MB")
                .build())) {
            DatabaseManager db = pool.manager();
            Record timeout = db.fetchOne("SELECT setting, source FROM pg_settings WHERE name = 'statement_timeout'")
                    .orElseThrow();
            assertThat(timeout.get("setting", String.class)).isEqualTo("42000");
            // 'client' is the source of settings sent in the start-up packet; SET would show 'session'.
            assertThat(timeout.get("source", String.class)).isEqualTo("client");
            assertThat(db.fetchValue(String.class, "SHOW jit")).isEqualTo("off");
            assertThat(db.fetchValue(String.class, "SHOW lock_timeout")).isEqualTo("5s");
            assertThat(db.fetchValue(String.class, "SHOW idle_in_transaction_session_timeout"))
                    .isEqualTo("1min");
            assertThat(db.fetchValue(String.class, "SHOW work_mem")).isEqualTo("8MB");
            assertThat(db.fetchValue(String.class, "SELECT current_setting('application_name')"))
                    .isEqualTo("pgdbm");
        }
    }

    @Test
    void initSqlRunsOnEachNewConnection(TestDatabase database) {
        try (SharedPool pool = SharedPool.create(
                database.config().initSql("SET application_name = 'from_init'").build())) {
            assertThat(pool.manager().fetchValue(String.class, "SHOW application_name"))
                    .isEqualTo("from_init");
        }
    }

    @Test
    void statsReportActiveConnections(TestDatabase database) throws Exception {
        try (SharedPool pool = SharedPool.create(
                database.config().minConnections(1).maxConnections(3).build())) {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService executor = Executors.newSingleThreadExecutor();
            Future<?> holder = executor.submit(() -> pool.manager().transaction(tx -> {
                inside.countDown();
                await(release);
            }));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            PoolStats busy = pool.stats();
            assertThat(busy.active()).isEqualTo(1);
            assertThat(busy.max()).isEqualTo(3);
            assertThat(busy.min()).isEqualTo(1);
            assertThat(busy.utilization()).isEqualTo(1.0 / 3);
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
            executor.shutdown();
            assertThat(pool.stats().active()).isZero();
            assertThat(pool.manager("x").poolStats().total()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void poolExhaustionFailsWithinTheAcquireTimeoutAndNamesThePoolsState(TestDatabase database) throws Exception {
        try (SharedPool pool = SharedPool.create(database.config()
                .minConnections(0)
                .maxConnections(2)
                .acquireTimeout(Duration.ofMillis(500))
                .build())) {
            DatabaseManager db = pool.manager();
            CountDownLatch holding = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService executor = Executors.newFixedThreadPool(2);
            List<Future<?>> holders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                holders.add(executor.submit(() -> db.transaction(tx -> {
                    holding.countDown();
                    await(release);
                })));
            }
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            ConnectionException error = assertTimeoutPreemptively(
                    Duration.ofSeconds(10),
                    () -> org.assertj.core.api.Assertions.catchThrowableOfType(
                            ConnectionException.class, () -> db.fetchValue(Integer.class, "SELECT 1")));
            assertThat(error.getMessage())
                    .contains("No connection became free in pool " + pool.name() + " within 500 ms")
                    .contains("active=2")
                    .contains("max=2")
                    .contains("raise maxConnections");
            assertThat(error.code()).isEqualTo(ErrorCode.CONNECTION);
            release.countDown();
            for (Future<?> holder : holders) {
                holder.get(10, TimeUnit.SECONDS);
            }
            executor.shutdown();
            assertThat(db.fetchValue(Integer.class, "SELECT 1"))
                    .as("the pool recovers")
                    .isEqualTo(1);
            assertThat(pool.stats().active()).isZero();
        }
    }

    @Test
    void aStatementTimeoutFiresAndTheConnectionStaysUsable(TestDatabase database) {
        try (SharedPool pool = SharedPool.create(database.config()
                .minConnections(1)
                .maxConnections(1)
                .statementTimeout(Duration.ofMillis(200))
                .build())) {
            DatabaseManager db = pool.manager();
            QueryException error = org.assertj.core.api.Assertions.catchThrowableOfType(
                    QueryException.class, () -> db.execute("SELECT pg_sleep(5)"));
            assertThat(error.sqlState()).contains("57014");
            assertThat(error.getMessage()).contains("statement timeout").contains("statementTimeout is 200 ms");
            // The only connection of the pool answers the next query.
            assertThat(db.fetchValue(Integer.class, "SELECT 41 + 1")).isEqualTo(42);
            assertThat(pool.stats().total()).isEqualTo(1);
        }
    }

    @Test
    void aSecondPoolToTheSameDatabaseLogsAWarning(TestDatabase database) {
        try (LogCapture logs = new LogCapture();
                SharedPool first = SharedPool.create(database.config().build());
                SharedPool second = SharedPool.create(database.config().build())) {
            assertThat(logs.messagesAt(Level.WARN))
                    .anySatisfy(message -> assertThat(message)
                            .contains(second.name())
                            .contains("pool open to")
                            .contains("pool.manager(\"schema\")"));
            assertThat(first.name()).isNotEqualTo(second.name());
        }
    }

    @Test
    void aHandedInManagersCloseLeavesThePoolWorking(SharedPool pool) {
        DatabaseManager handedIn = pool.manager("handed_in");
        assertThat(handedIn.ownsPool()).isFalse();
        handedIn.close();
        assertThat(pool.isClosed()).isFalse();
        assertThat(pool.manager("other").fetchValue(Integer.class, "SELECT 1")).isEqualTo(1);
        assertThat(handedIn.fetchValue(Integer.class, "SELECT 2")).isEqualTo(2);
    }

    @Test
    void aLeaseEndsOnItsOwnWhileThePoolAndItsConnectionsStayOpen(TestDatabase database) throws Exception {
        SharedPool pool = SharedPool.create(
                database.config().minConnections(1).maxConnections(1).build());
        try {
            SharedPool lease = pool.lease();
            SharedPool sublease = lease.lease();
            DatabaseManager kept = lease.manager("leased");
            int backend = kept.fetchValue(Integer.class, "SELECT pg_backend_pid()");
            assertThat(sublease.manager().fetchValue(Integer.class, "SELECT pg_backend_pid()"))
                    .isEqualTo(backend);
            lease.close();
            assertThat(lease.isClosed()).isTrue();
            assertThat(sublease.isClosed())
                    .as("a lease of a lease ends with it")
                    .isTrue();
            assertThat(pool.isClosed()).isFalse();
            assertThatThrownBy(() -> kept.fetchValue(Integer.class, "SELECT 1"))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("closed");
            assertThatThrownBy(() -> kept.dsl().selectOne().fetch()).hasMessageContaining("closed");
            assertThatThrownBy(lease::acquire).isInstanceOf(ConnectionException.class);
            assertThatThrownBy(() -> lease.dataSource().getConnection()).isInstanceOf(java.sql.SQLException.class);
            assertThatThrownBy(() -> lease.connections().getConnection()).isInstanceOf(java.sql.SQLException.class);
            assertThatThrownBy(lease::lease).isInstanceOf(ConnectionException.class);
            // the pool serves on, on the same connection: nothing reconnected
            assertThat(pool.manager("leased").fetchValue(Integer.class, "SELECT pg_backend_pid()"))
                    .isEqualTo(backend);
            assertThat(pool.lease().manager().fetchValue(Integer.class, "SELECT pg_backend_pid()"))
                    .isEqualTo(backend);
        } finally {
            pool.close();
        }
        assertThatThrownBy(pool::lease).isInstanceOf(ConnectionException.class);
    }

    @Test
    void aDecoratedViewSharesThePoolAndClosesIt(TestDatabase database) {
        SharedPool pool = SharedPool.create(database.config().build());
        java.util.concurrent.atomic.AtomicInteger borrowed = new java.util.concurrent.atomic.AtomicInteger();
        SharedPool view = pool.decorated(source -> new javax.sql.DataSource() {
            @Override
            public java.sql.Connection getConnection() throws java.sql.SQLException {
                borrowed.incrementAndGet();
                return source.getConnection();
            }

            @Override
            public java.sql.Connection getConnection(String user, String password) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.io.PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(java.io.PrintWriter out) {}

            @Override
            public void setLoginTimeout(int seconds) {}

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public java.util.logging.Logger getParentLogger() {
                return java.util.logging.Logger.getGlobal();
            }

            @Override
            public <T> T unwrap(Class<T> type) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean isWrapperFor(Class<?> type) {
                return false;
            }
        });
        assertThat(view.dataSource()).isSameAs(pool.dataSource());
        assertThat(view.manager("viewed").fetchValue(Integer.class, "SELECT 1")).isEqualTo(1);
        assertThat(borrowed).hasValue(1);
        assertThat(view.stats().max()).isEqualTo(pool.stats().max());
        assertThatThrownBy(() -> view.decorated(source -> source))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("SharedPool.create(config, decorator)");
        assertThatThrownBy(() -> pool.lease().decorated(source -> source)).isInstanceOf(ConfigurationException.class);
        view.close();
        assertThat(pool.isClosed()).as("closing the view closes the pool").isTrue();
        assertThat(view.isClosed()).isTrue();
    }

    @Test
    void managersDerivedFromAStandaloneManagerNeverCloseItsPool(TestDatabase database) {
        try (DatabaseManager owner =
                DatabaseManager.connect(database.config().schema("owner").build())) {
            List<DatabaseManager> derived = List.of(
                    owner.forModule("owner"),
                    owner.forModule(ModuleDescriptor.of("m", "owner", "classpath:db/m")),
                    owner.withMonitor(io.pgdbm.monitoring.QueryMonitor.builder().build()),
                    owner.withSchemaMapping("canonical", "owner"));
            for (DatabaseManager library : derived) {
                assertThat(library.ownsPool()).as(library.toString()).isFalse();
                library.close(); // what a dual-mode library does with what it was handed
                assertThat(owner.pool().isClosed()).as(library.toString()).isFalse();
                assertThat(owner.fetchValue(Integer.class, "SELECT 1")).isEqualTo(1);
            }
            assertThat(owner.ownsPool()).isTrue();
        }
    }

    @Test
    void thePoolOpensMinConnectionsBeforeItIsHandedOut(TestDatabase database) {
        try (SharedPool pool = SharedPool.create(
                database.config().minConnections(3).maxConnections(5).build())) {
            assertThat(pool.stats().total()).isGreaterThanOrEqualTo(3);
            assertThat(pool.stats().idle()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aPoolThatCannotOpenMinConnectionsFailsFastSayingWhy(TestDatabase database) {
        String role = "pgdbm_two_" + Long.toHexString(System.nanoTime());
        database.sql("CREATE ROLE " + role + " LOGIN PASSWORD 'pw' CONNECTION LIMIT 2;"
                + " GRANT CONNECT ON DATABASE \"" + database.name() + "\" TO " + role);
        try {
            DatabaseConfig config = database.config()
                    .user(role)
                    .password("pw")
                    .minConnections(4)
                    .maxConnections(4)
                    .acquireTimeout(Duration.ofSeconds(2))
                    .build();
            assertThatThrownBy(() -> SharedPool.create(config).close())
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("opened 2 of its minConnections (4)")
                    .hasMessageContaining("Lower minConnections")
                    .hasMessageNotContaining("pw@");
        } finally {
            database.sql("DROP OWNED BY " + role + "; DROP ROLE " + role);
        }
    }

    @Test
    void aStandaloneManagerOwnsAndClosesItsPool(TestDatabase database) {
        DatabaseManager standalone =
                DatabaseManager.connect(database.config().schema("solo").build());
        assertThat(standalone.ownsPool()).isTrue();
        assertThat(standalone.schema()).contains("solo");
        standalone.ensureSchema();
        assertThat(standalone.fetchValue(
                        Boolean.class, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'solo')"))
                .isTrue();
        standalone.close();
        assertThat(standalone.pool().isClosed()).isTrue();
        assertThatThrownBy(() -> standalone.fetchValue(Integer.class, "SELECT 1"))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void fiftySchemasOnOnePoolWrittenFromEightThreadsKeepTheirRows(SharedPool pool) throws Exception {
        int schemas = 50;
        List<DatabaseManager> managers = new ArrayList<>();
        for (int i = 0; i < schemas; i++) {
            DatabaseManager db = pool.manager("iso_" + i);
            db.ensureSchema();
            db.execute("CREATE TABLE {{tables.events}} (id serial PRIMARY KEY, owner text NOT NULL)");
            managers.add(db);
        }
        ExecutorService executor = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < schemas; i++) {
                DatabaseManager db = managers.get(i);
                String owner = "iso_" + i;
                int r = round;
                work.add(executor.submit(() -> {
                    if (r % 2 == 0) {
                        db.execute("INSERT INTO {{tables.events}} (owner) VALUES ($1)", owner);
                    } else {
                        db.transaction(tx -> tx.execute("INSERT INTO {{tables.events}} (owner) VALUES ($1)", owner));
                    }
                }));
            }
        }
        for (Future<?> future : work) {
            future.get(60, TimeUnit.SECONDS);
        }
        executor.shutdown();
        for (int i = 0; i < schemas; i++) {
            DatabaseManager db = managers.get(i);
            assertThat(db.fetchAll("SELECT DISTINCT owner FROM {{tables.events}}")
                            .getValues("owner", String.class))
                    .as("schema iso_%d holds only its own rows", i)
                    .containsExactly("iso_" + i);
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.events}}"))
                    .isEqualTo(20L);
        }
        assertThat(pool.stats().active()).isZero();
    }

    @Test
    void startupRetriesBackOffThenFailWithAClearMessage() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DatabaseConfig config = DatabaseConfig.builder()
                .host("127.0.0.1")
                .port(closedPort)
                .database("app")
                .user("u")
                .password("not-printed-pw")
                .startupRetries(2, Duration.ofMillis(20))
                .build();
        try (LogCapture logs = new LogCapture()) {
            ConnectionException error = org.assertj.core.api.Assertions.catchThrowableOfType(
                    ConnectionException.class, () -> SharedPool.create(config));
            assertThat(error.getMessage())
                    .contains("Could not connect to PostgreSQL at postgresql://u:***@127.0.0.1:" + closedPort + "/app")
                    .contains("after 3 attempts")
                    .contains("Check that PostgreSQL is running")
                    .doesNotContain("not-printed-pw");
            assertThat(logs.messagesAt(Level.WARN))
                    .filteredOn(m -> m.contains("not accepting connections yet"))
                    .hasSize(2);
            assertThat(logs.messages()).noneMatch(m -> m.contains("not-printed-pw"));
        }
    }

    @Test
    void severalHostsAreTriedInOrder(TestDatabase database) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "postgresql://" + database.server().user() + "@127.0.0.1:" + closedPort + ","
                + database.server().host() + ":" + database.server().port() + "/" + database.name();
        try (SharedPool pool = SharedPool.create(
                DatabaseConfig.builder().url(url).maxConnections(1).build())) {
            assertThat(pool.config().hostsDescription()).startsWith("127.0.0.1:" + closedPort + ",");
            assertThat(pool.manager().fetchValue(Integer.class, "SELECT inet_server_port()"))
                    .isEqualTo(database.server().port());
        }
    }

    @Test
    void aMissingDatabaseFailsAtOnceSayingWhatToDo(TestDatabase database) {
        DatabaseConfig config = database.config()
                .database("no_such_db")
                .startupRetries(5, Duration.ofSeconds(5))
                .build();
        ConnectionException error = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> org.assertj.core.api.Assertions.catchThrowableOfType(
                        ConnectionException.class, () -> SharedPool.create(config)));
        assertThat(error.getMessage())
                .contains("3D000")
                .contains("Create the database first")
                .doesNotContain("attempts");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
