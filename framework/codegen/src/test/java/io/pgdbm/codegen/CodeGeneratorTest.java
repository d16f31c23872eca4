package io.pgdbm.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationException;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.postgres.IsolatedDatabases;
import io.pgdbm.postgres.PostgresServer;
import io.pgdbm.postgres.PostgresServers;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.jooq.meta.jaxb.Generate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeGeneratorTest {
    private static final String CATALOG = "classpath:db/catalog";
    private static PostgresServer server;
    private static IsolatedDatabases databases;

    @BeforeAll
    static void start() {
        server = PostgresServers.shared();
        databases = IsolatedDatabases.on(server);
    }

    @AfterAll
    static void stop() {
        databases.close();
    }

    private static CodeGenerator.Builder catalog(Path out) {
        return CodeGenerator.builder()
                .module("catalog")
                .migrations(CATALOG)
                .packageName("com.example.catalog.db")
                .outputDirectory(out)
                .server(server)
                .generate(new Generate().withPojos(true).withPojosAsJavaRecordClasses(true));
    }

    @Test
    void generatesTablesRecordsEnumsAndADescriptor(@TempDir Path out) throws IOException {
        CodeGenerator.Result result = catalog(out).build().generate();
        assertThat(result.generated()).isTrue();
        Path pkg = out.resolve("com/example/catalog/db");
        assertThat(pkg.resolve("CatalogModule.java"))
                .content()
                .contains("return \"catalog\";")
                .contains("classpath:db/catalog");
        assertThat(pkg.resolve("tables/Items.java")).exists();
        assertThat(pkg.resolve("tables/records/ItemsRecord.java")).exists();
        assertThat(pkg.resolve("enums/ItemStatus.java"))
                .content()
                .contains("draft")
                .contains("retired");
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.map(Path::toString)).noneMatch(name -> name.contains("SchemaHistory"));
        }
    }

    @Test
    void aSecondRunSkipsAndAChangedMigrationRegenerates(@TempDir Path out, @TempDir Path migrations)
            throws IOException {
        Files.writeString(migrations.resolve("001_a.sql"), "CREATE TABLE {{tables.a}} (id int PRIMARY KEY);\n");
        CodeGenerator generator = CodeGenerator.builder()
                .module("incr")
                .migrations(migrations.toString())
                .packageName("com.example.incr")
                .outputDirectory(out)
                .server(server)
                .build();
        assertThat(generator.generate().generated()).isTrue();
        CodeGenerator.Result second = generator.generate();
        assertThat(second.generated()).isFalse();
        assertThat(second.reason()).isEqualTo("up to date");

        Files.writeString(migrations.resolve("002_b.sql"), "CREATE TABLE {{tables.b}} (id int PRIMARY KEY);\n");
        assertThat(generator.generate().generated()).isTrue();
        assertThat(out.resolve("com/example/incr/tables/B.java")).exists();

        Files.delete(out.resolve("com/example/incr/IncrModule.java"));
        assertThat(generator.generate().generated())
                .as("missing output regenerates")
                .isTrue();
    }

    @Test
    void aDatabaseErrorWhileReadingTheSchemaFailsAndIsNeverCachedAsUpToDate(@TempDir Path out) {
        int triggered = 0;
        for (int failAt : new int[] {2, 6, 15, 40, 100_000}) {
            java.util.concurrent.atomic.AtomicInteger statements = new java.util.concurrent.atomic.AtomicInteger();
            java.util.function.UnaryOperator<java.sql.Connection> faulty =
                    connection -> (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(
                            getClass().getClassLoader(),
                            new Class<?>[] {java.sql.Connection.class},
                            (proxy, m, args) -> {
                                if (m.getName().startsWith("prepare")
                                        || m.getName().equals("createStatement")) {
                                    if (statements.incrementAndGet() == failAt) {
                                        throw new java.sql.SQLException("injected: connection lost", "08006");
                                    }
                                }
                                try {
                                    return m.invoke(connection, args);
                                } catch (java.lang.reflect.InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                    () -> catalog(out).force(true).readThrough(faulty).build().generate());
            Path state = out.resolve(".pgdbm-codegen-catalog");
            if (statements.get() >= failAt) {
                triggered++;
                assertThat(failure)
                        .as("a failure at statement %d of %d fails the generation", failAt, statements.get())
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("injected: connection lost");
                assertThat(state).as("no state that says up to date").doesNotExist();
                assertThat(catalog(out).build().generate().generated())
                        .as("the next run generates again")
                        .isTrue();
            } else {
                assertThat(failure).isNull();
                assertThat(state).exists();
            }
        }
        assertThat(triggered).as("faults were injected").isGreaterThanOrEqualTo(3);
    }

    @Test
    void extensionObjectsAndPartitionsAreNotGeneratedAsTheModules(@TempDir Path out, @TempDir Path migrations)
            throws IOException {
        Files.writeString(migrations.resolve("001_ext.sql"), """
                -- an extension installed into the module's own schema, on purpose
                CREATE EXTENSION IF NOT EXISTS citext SCHEMA {{schema}};
                CREATE TABLE {{tables.people}} (id int PRIMARY KEY, email {{schema}}.citext NOT NULL);
                CREATE FUNCTION {{schema}}.shout(t text) RETURNS text LANGUAGE sql AS $$ SELECT upper(t) $$;
                CREATE TABLE {{tables.entries}} (day date NOT NULL, body text) PARTITION BY RANGE (day);
                CREATE TABLE {{tables.entries_2025}} PARTITION OF {{tables.entries}}
                    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
                CREATE TABLE {{tables.entries_default}} PARTITION OF {{tables.entries}} DEFAULT;
                """);
        CodeGenerator.builder()
                .module("ext")
                .migrations(migrations.toString())
                .packageName("com.example.ext")
                .outputDirectory(out)
                .server(server)
                .build()
                .generate();
        Path pkg = out.resolve("com/example/ext");
        assertThat(pkg.resolve("tables/People.java")).exists();
        assertThat(pkg.resolve("tables/Entries.java"))
                .as("the partitioned table")
                .exists();
        assertThat(pkg.resolve("tables/Entries_2025.java")).doesNotExist();
        assertThat(pkg.resolve("tables/EntriesDefault.java")).doesNotExist();
        assertThat(pkg.resolve("routines/Shout.java"))
                .as("the module's own function")
                .exists();
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.map(path -> path.getFileName().toString().toLowerCase(java.util.Locale.ROOT)))
                    .as("nothing of citext's (its functions are citext*, regexp_*, texticlike, …)")
                    .noneMatch(name ->
                            name.startsWith("citext") || name.startsWith("regexp") || name.equals("strpos.java"));
        }
    }

    @Test
    void aModuleThatReferencesAnotherIsGeneratedAfterTheOtherIsMigrated(
            @TempDir Path out, @TempDir Path accounts, @TempDir Path ledger) throws IOException {
        Files.writeString(
                accounts.resolve("001_accounts.sql"),
                "CREATE TABLE {{tables.accounts}} (id bigint PRIMARY KEY, owner text NOT NULL);\n");
        Files.writeString(ledger.resolve("001_entries.sql"), """
                CREATE TABLE {{tables.entries}} (
                    id bigint PRIMARY KEY,
                    account_id bigint NOT NULL REFERENCES {{tables.accounts.accounts}} (id)
                );
                """);
        CodeGenerator.Builder builder = CodeGenerator.builder()
                .module("ledger")
                .migrations(ledger.toString())
                .packageName("com.example.ledger.db")
                .outputDirectory(out)
                .server(server);
        assertThatThrownBy(() -> builder.build().generate())
                .as("without the dependency, the reference cannot be migrated")
                .hasMessageContaining("accounts");
        CodeGenerator generator =
                builder.dependsOn("accounts", accounts.toString()).build();
        assertThat(generator.generate().generated()).isTrue();
        Path pkg = out.resolve("com/example/ledger/db");
        assertThat(pkg.resolve("tables/Entries.java")).exists();
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.map(Path::toString))
                    .as("the other module's table is not copied into this one")
                    .noneMatch(name -> name.endsWith("Accounts.java"));
        }
        assertThat(generator.generate().generated()).isFalse();
        Files.writeString(accounts.resolve("002_more.sql"), "ALTER TABLE {{tables.accounts}} ADD COLUMN note text;\n");
        assertThat(generator.generate().generated())
                .as("a change in the dependency's migrations regenerates")
                .isTrue();
    }

    @Test
    void badSqlFailsWithFileAndLine(@TempDir Path out, @TempDir Path migrations) throws IOException {
        Files.writeString(migrations.resolve("001_ok.sql"), "CREATE TABLE {{tables.a}} (id int);\n");
        Files.writeString(
                migrations.resolve("002_bad.sql"),
                "CREATE TABLE {{tables.b}} (id int);\n\nCREATE TABLE {{tables.c}} (id nosuchtype);\n");
        MigrationException error = catchThrowableOfType(
                MigrationException.class,
                () -> CodeGenerator.builder()
                        .module("bad")
                        .migrations(migrations.toString())
                        .packageName("x.y")
                        .outputDirectory(out)
                        .server(server)
                        .build()
                        .generate());
        assertThat(error.file()).contains("002_bad.sql");
        assertThat(error.line()).contains(3);
        assertThat(error.getMessage()).contains("nosuchtype");
    }

    @Test
    void optionsAreCheckedBeforeAnythingRuns(@TempDir Path out) {
        assertThatThrownBy(() -> CodeGenerator.builder()
                        .module("m")
                        .migrations("x")
                        .packageName("not a package")
                        .outputDirectory(out)
                        .build())
                .hasMessageContaining("packageName ('not a package') must be a Java package name");
        assertThatThrownBy(() -> CodeGenerator.builder()
                        .packageName("a.b")
                        .outputDirectory(out)
                        .build())
                .hasMessageContaining("module is required");
        assertThatThrownBy(() -> CodeGenerator.builder()
                        .module("m")
                        .packageName("a.b")
                        .outputDirectory(out)
                        .build())
                .hasMessageContaining("migrations: give at least one location");
        assertThatThrownBy(() -> CodeGenerator.builder()
                        .module("m")
                        .migrations("/no/such/dir")
                        .packageName("a.b")
                        .outputDirectory(out)
                        .server(server)
                        .build()
                        .generate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("does not exist");
    }

    /**
     * Compiles the generated classes with a driver that uses them as application code would, then runs the
     * driver against three schemas of one database: each query touches only its schema, and every column
     * type round-trips.
     */
    @Test
    @SuppressWarnings("unchecked")
    void generatedClassesQueryWhicheverSchemaTheManagerMapsThemTo(@TempDir Path out, @TempDir Path classes)
            throws Exception {
        catalog(out).build().generate();
        Path driver = out.resolve("com/example/catalog/Driver.java");
        Files.writeString(driver, DRIVER);
        compile(out, classes);

        String database = databases.create("typed");
        try (URLClassLoader loader = new URLClassLoader(
                        new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
                SharedPool pool = SharedPool.create(
                        DatabaseConfig.builder().url(server.url(database)).build())) {
            Function<DatabaseManager, String> run =
                    (Function<DatabaseManager, String>) loader.loadClass("com.example.catalog.Driver")
                            .getConstructor()
                            .newInstance();
            io.pgdbm.ModuleDescriptor descriptor =
                    (io.pgdbm.ModuleDescriptor) loader.loadClass("com.example.catalog.db.CatalogModule")
                            .getField("INSTANCE")
                            .get(null);
            for (String schema : List.of("shop_a", "shop_b", "shop_c")) {
                DatabaseManager manager = pool.manager(schema).forModule(descriptor);
                MigrationManager.of(manager, descriptor).applyPending();
                assertThat(run.apply(manager)).isEqualTo("ok " + schema);
            }
            for (String schema : List.of("shop_a", "shop_b", "shop_c")) {
                assertThat(pool.manager(schema).fetchValue(Long.class, "SELECT count(*) FROM {{tables.items}}"))
                        .as("rows in %s", schema)
                        .isEqualTo(1L);
            }
            assertThat(pool.manager("catalog").tableExists("items"))
                    .as("the canonical schema is never touched")
                    .isFalse();
        } finally {
            databases.dropNow(database);
        }
    }

    private static void compile(Path sources, Path classes) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<String> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java"))
                    .map(Path::toString)
                    .toList();
        }
        List<String> args = new java.util.ArrayList<>(List.of(
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-proc:none",
                "--release",
                "21"));
        args.addAll(files);
        int status = compiler.run(null, null, null, args.toArray(String[]::new));
        assertThat(status).as("generated code compiles").isZero();
    }

    /** Application-style code against the generated classes; returns "ok <schema>" when every check holds. */
    private static final String DRIVER = """
            package com.example.catalog;

            import static com.example.catalog.db.Tables.ITEMS;
            import static com.example.catalog.db.Tables.ORDERS;

            import com.example.catalog.db.enums.ItemStatus;
            import com.example.catalog.db.tables.records.ItemsRecord;
            import io.pgdbm.DatabaseManager;
            import java.math.BigDecimal;
            import java.time.OffsetDateTime;
            import java.util.UUID;
            import java.util.function.Function;
            import org.jooq.JSONB;

            public class Driver implements Function<DatabaseManager, String> {
                @Override
                public String apply(DatabaseManager db) {
                    String schema = db.schema().orElseThrow();
                    String rendered = db.dsl().render(db.dsl().selectFrom(ITEMS));
                    check(rendered.contains("\\"" + schema + "\\".\\"items\\""), rendered);
                    byte[] thumbnail = {0, 1, 2, (byte) 255};
                    ItemsRecord inserted = db.dsl().insertInto(ITEMS)
                            .set(ITEMS.NAME, "lamp in " + schema)
                            .set(ITEMS.STATUS, ItemStatus.active)
                            .set(ITEMS.ATTRIBUTES, JSONB.valueOf("{\\"watts\\": 40}"))
                            .set(ITEMS.TAGS, new String[] {"light", "home"})
                            .set(ITEMS.PRICE, new BigDecimal("19.90"))
                            .set(ITEMS.THUMBNAIL, thumbnail)
                            .returning()
                            .fetchOne();
                    check(inserted.getId() != null, "identity id");
                    check(inserted.getUid() instanceof UUID, "uuid default");
                    check(inserted.getNameLength() == ("lamp in " + schema).length(), "generated column");
                    db.transaction(tx -> tx.dsl().insertInto(ORDERS).set(ORDERS.ITEM_ID, inserted.getId()).set(ORDERS.QUANTITY, 2).execute());
                    var read = db.dsl().selectFrom(ITEMS).where(ITEMS.ID.eq(inserted.getId())).fetchOne();
                    check(read.getStatus() == ItemStatus.active, "enum");
                    check(read.getAttributes().data().contains("40"), "jsonb " + read.getAttributes());
                    check(java.util.Arrays.equals(read.getTags(), new String[] {"light", "home"}), "text[]");
                    check(read.getPrice().compareTo(new BigDecimal("19.90")) == 0, "numeric");
                    check(read.getCreatedAt() instanceof OffsetDateTime, "timestamptz");
                    check(java.util.Arrays.equals(read.getThumbnail(), thumbnail), "bytea");
                    int joined = db.dsl().fetchCount(db.dsl().select().from(ORDERS).join(ITEMS).on(ORDERS.ITEM_ID.eq(ITEMS.ID)));
                    check(joined == 1, "join within the schema: " + joined);
                    var pojo = read.into(com.example.catalog.db.tables.pojos.Items.class);
                    check(pojo.name().equals("lamp in " + schema), "java record pojo");
                    return "ok " + schema;
                }

                private static void check(boolean condition, String what) {
                    if (!condition) {
                        throw new AssertionError("failed: " + what);
                    }
                }
            }
            """;
}
