package io.pgdbm.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The files of {@code generate library} and {@code generate config}. */
final class Scaffold {
    private final String name;
    private final String className;
    private final String packageName;
    private final String groupId;
    private final Properties versions;

    Scaffold(String name, String packageName, String groupId, Properties versions) {
        this.name = name;
        StringBuilder pascal = new StringBuilder();
        for (String part : name.split("_")) {
            if (!part.isEmpty()) {
                pascal.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        this.className = pascal.toString();
        this.packageName = packageName;
        this.groupId = groupId;
        this.versions = versions;
    }

    /** Path (relative to the library's directory) to content. */
    Map<String, String> files(boolean withApi) {
        String javaDir = packageName.replace('.', '/');
        Map<String, String> files = new LinkedHashMap<>();
        files.put("pom.xml", fill(POM));
        files.put("README.md", fill(README));
        files.put(".gitignore", "target/\n");
        files.put("src/main/resources/db/" + name + "/001_initial.sql", fill(MIGRATION));
        files.put("src/main/java/" + javaDir + "/Item.java", fill(ITEM));
        files.put("src/main/java/" + javaDir + "/" + className + ".java", fill(MODULE));
        files.put("src/test/java/" + javaDir + "/" + className + "Test.java", fill(MODULE_TEST));
        files.put("src/test/resources/simplelogger.properties", "org.slf4j.simpleLogger.defaultLogLevel=warn\n");
        if (withApi) {
            files.put("src/main/java/" + javaDir + "/" + className + "Api.java", fill(API));
            files.put("src/test/java/" + javaDir + "/" + className + "ApiTest.java", fill(API_TEST));
        }
        return files;
    }

    private String fill(String template) {
        return template.replace("@name@", name)
                .replace("@Name@", className)
                .replace("@package@", packageName)
                .replace("@groupId@", groupId)
                .replace("@pgdbm.version@", versions.getProperty("pgdbm"))
                .replace("@junit.version@", versions.getProperty("junit"))
                .replace("@assertj.version@", versions.getProperty("assertj"))
                .replace("@slf4j.version@", versions.getProperty("slf4j"))
                .replace("@compiler.version@", versions.getProperty("compiler-plugin"))
                .replace("@surefire.version@", versions.getProperty("surefire-plugin"));
    }

    static String config(String project) {
        return CONFIG.replace("@project@", project);
    }

    private static final String POM = """
            <?xml version="1.0" encoding="UTF-8"?>
            <project xmlns="http://maven.apache.org/POM/4.0.0"
                     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                     xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                <modelVersion>4.0.0</modelVersion>

                <groupId>@groupId@</groupId>
                <artifactId>@name@</artifactId>
                <version>0.1.0-SNAPSHOT</version>
                <description>The @name@ module: a dual-mode pgdbm library.</description>

                <properties>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    <maven.compiler.release>21</maven.compiler.release>
                    <pgdbm.version>@pgdbm.version@</pgdbm.version>
                </properties>

                <dependencies>
                    <dependency>
                        <groupId>io.pgdbm</groupId>
                        <artifactId>pgdbm-core</artifactId>
                        <version>${pgdbm.version}</version>
                    </dependency>

                    <dependency>
                        <groupId>io.pgdbm</groupId>
                        <artifactId>pgdbm-testing</artifactId>
                        <version>${pgdbm.version}</version>
                        <scope>test</scope>
                    </dependency>
                    <dependency>
                        <groupId>org.junit.jupiter</groupId>
                        <artifactId>junit-jupiter</artifactId>
                        <version>@junit.version@</version>
                        <scope>test</scope>
                    </dependency>
                    <dependency>
                        <groupId>org.assertj</groupId>
                        <artifactId>assertj-core</artifactId>
                        <version>@assertj.version@</version>
                        <scope>test</scope>
                    </dependency>
                    <dependency>
                        <groupId>org.slf4j</groupId>
                        <artifactId>slf4j-simple</artifactId>
                        <version>@slf4j.version@</version>
                        <scope>test</scope>
                    </dependency>
                </dependencies>

                <build>
                    <plugins>
                        <plugin>
                            <groupId>org.apache.maven.plugins</groupId>
                            <artifactId>maven-compiler-plugin</artifactId>
                            <version>@compiler.version@</version>
                        </plugin>
                        <plugin>
                            <groupId>org.apache.maven.plugins</groupId>
                            <artifactId>maven-surefire-plugin</artifactId>
                            <version>@surefire.version@</version>
                        </plugin>
                        <!-- Generates jOOQ classes from src/main/resources/db/@name@ on each build (skipped when
                             the migrations did not change). -->
                        <plugin>
                            <groupId>io.pgdbm</groupId>
                            <artifactId>pgdbm-codegen-maven-plugin</artifactId>
                            <version>${pgdbm.version}</version>
                            <executions>
                                <execution>
                                    <goals>
                                        <goal>generate</goal>
                                    </goals>
                                </execution>
                            </executions>
                            <configuration>
                                <module>@name@</module>
                                <packageName>@package@.db</packageName>
                            </configuration>
                        </plugin>
                    </plugins>
                </build>
            </project>
            """;

    private static final String README = """
            # @name@

            A dual-mode pgdbm library. Standalone, it owns a connection pool:

            ```java
            try (@Name@ @name@ = new @Name@("postgresql://localhost:5432/app")) { … }
            ```

            In a host application, it uses the manager the host hands it, in the schema the host chose:

            ```java
            @Name@ @name@ = new @Name@(pool.manager("@name@"));
            ```

            Either way it applies its own migrations (`src/main/resources/db/@name@`, history table
            `@name@_schema_history`) when constructed. `mvn verify` generates the jOOQ classes
            (`@package@.db`) from the migrations and runs the tests in both modes on an embedded PostgreSQL.
            Add a migration with `pgdbm migrate create NAME --module @name@`, with `migrations_path =
            "src/main/resources/db/@name@"` in pgdbm.toml.
            """;

    private static final String MIGRATION = """
            -- @name@: initial schema. Schema-free: {{tables.items}} becomes the module's schema's table.
            CREATE TABLE {{tables.items}} (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name text NOT NULL UNIQUE,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            """;

    private static final String ITEM = """
            package @package@;

            import java.time.OffsetDateTime;

            /** One item of the @name@ module. */
            public record Item(long id, String name, OffsetDateTime createdAt) {}
            """;

    private static final String MODULE = """
            package @package@;

            import static @package@.db.Tables.ITEMS;

            import @package@.db.@Name@Module;
            import io.pgdbm.DatabaseConfig;
            import io.pgdbm.DatabaseManager;
            import io.pgdbm.migrations.MigrationManager;
            import java.util.List;
            import java.util.Optional;

            /**
             * The @name@ module, dual-mode: with a URL it owns a pool (schema {@code @name@}); with a manager from a
             * host's shared pool it uses that, in the host's schema. Either way it applies its own migrations.
             */
            public final class @Name@ implements AutoCloseable {
                private final DatabaseManager db;

                /** Standalone: a pool of its own. */
                public @Name@(String databaseUrl) {
                    this(DatabaseManager.connect(DatabaseConfig.builder()
                            .url(databaseUrl)
                            .schema("@name@")
                            .maxConnections(4)
                            .build()));
                }

                /** Library mode: the host's manager; closing this module leaves the host's pool open. */
                public @Name@(DatabaseManager db) {
                    this.db = db.forModule(@Name@Module.INSTANCE);
                    MigrationManager.of(this.db, @Name@Module.INSTANCE).applyPending();
                }

                public Item add(String name) {
                    if (name == null || name.isBlank()) {
                        throw new IllegalArgumentException("an item needs a name");
                    }
                    return db.dsl().insertInto(ITEMS).set(ITEMS.NAME, name.strip()).returning().fetchOne().into(Item.class);
                }

                public Optional<Item> find(long id) {
                    return db.dsl().selectFrom(ITEMS).where(ITEMS.ID.eq(id)).fetchOptionalInto(Item.class);
                }

                public Optional<Item> findByName(String name) {
                    // plain SQL with templates works beside the typed API
                    return db.fetchOne(Item.class, "SELECT * FROM {{tables.items}} WHERE name = $1", name);
                }

                public List<Item> list() {
                    return db.dsl().selectFrom(ITEMS).orderBy(ITEMS.ID).fetchInto(Item.class);
                }

                /** The manager this module uses. */
                public DatabaseManager database() {
                    return db;
                }

                /** Closes the pool if this module opened it. */
                @Override
                public void close() {
                    db.close();
                }
            }
            """;

    private static final String MODULE_TEST = """
            package @package@;

            import static org.assertj.core.api.Assertions.assertThat;
            import static org.assertj.core.api.Assertions.assertThatThrownBy;

            import io.pgdbm.testing.DualMode;
            import io.pgdbm.testing.DualModeTest;

            class @Name@Test {

                @DualModeTest(schema = "host_@name@")
                void addsFindsAndListsItems(DualMode mode) {
                    try (@Name@ @name@ = mode.open(@Name@::new, @Name@::new)) {
                        Item first = @name@.add("first");
                        @name@.add("second");
                        assertThat(@name@.find(first.id())).contains(first);
                        assertThat(@name@.findByName("second")).isPresent();
                        assertThat(@name@.list()).extracting(Item::name).containsExactly("first", "second");
                        assertThat(@name@.database().schema()).contains(mode.standalone() ? "@name@" : "host_@name@");
                    }
                }

                @DualModeTest
                void refusesAnEmptyName(DualMode mode) {
                    try (@Name@ @name@ = mode.open(@Name@::new, @Name@::new)) {
                        assertThatThrownBy(() -> @name@.add(" ")).isInstanceOf(IllegalArgumentException.class);
                        assertThat(@name@.list()).isEmpty();
                    }
                }

                @DualModeTest
                void appliesItsOwnMigrationsOnceInBothModes(DualMode mode) {
                    try (@Name@ @name@ = mode.open(@Name@::new, @Name@::new)) {
                        assertThat(@name@.database().tableExists("@name@_schema_history")).isTrue();
                    }
                    try (@Name@ again = mode.open(@Name@::new, @Name@::new)) {
                        assertThat(again.list()).isEmpty();
                    }
                }
            }
            """;

    private static final String API = """
            package @package@;

            import com.sun.net.httpserver.HttpExchange;
            import com.sun.net.httpserver.HttpServer;
            import java.io.IOException;
            import java.net.InetSocketAddress;
            import java.nio.charset.StandardCharsets;
            import java.util.stream.Collectors;

            /**
             * A small HTTP API over {@link @Name@} on the JDK's HttpServer: {@code GET /items}, {@code GET
             * /items/{id}}, {@code POST /items} with the item's name as the body. Swap in your web framework.
             */
            public final class @Name@Api implements AutoCloseable {
                private final @Name@ @name@;
                private final HttpServer server;

                public @Name@Api(@Name@ @name@, int port) throws IOException {
                    this.@name@ = @name@;
                    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                    server.createContext("/items", this::handle);
                    server.start();
                }

                public int port() {
                    return server.getAddress().getPort();
                }

                private void handle(HttpExchange exchange) throws IOException {
                    try (exchange) {
                        String path = exchange.getRequestURI().getPath();
                        String method = exchange.getRequestMethod();
                        if (method.equals("POST") && path.equals("/items")) {
                            String name = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                            try {
                                send(exchange, 201, json(@name@.add(name)));
                            } catch (IllegalArgumentException e) {
                                send(exchange, 400, "{\\"error\\": \\"" + e.getMessage() + "\\"}");
                            }
                        } else if (method.equals("GET") && path.equals("/items")) {
                            send(exchange, 200, @name@.list().stream().map(@Name@Api::json)
                                    .collect(Collectors.joining(", ", "[", "]")));
                        } else if (method.equals("GET") && path.matches("/items/\\\\d+")) {
                            long id = Long.parseLong(path.substring("/items/".length()));
                            var item = @name@.find(id);
                            if (item.isPresent()) {
                                send(exchange, 200, json(item.get()));
                            } else {
                                send(exchange, 404, "{\\"error\\": \\"no item " + id + "\\"}");
                            }
                        } else {
                            send(exchange, 405, "{\\"error\\": \\"not supported\\"}");
                        }
                    }
                }

                private static String json(Item item) {
                    return "{\\"id\\": " + item.id() + ", \\"name\\": \\"" + item.name().replace("\\\\", "\\\\\\\\")
                            .replace("\\"", "\\\\\\"") + "\\"}";
                }

                private static void send(HttpExchange exchange, int status, String body) throws IOException {
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(status, bytes.length);
                    exchange.getResponseBody().write(bytes);
                }

                @Override
                public void close() {
                    server.stop(0);
                }
            }
            """;

    private static final String API_TEST = """
            package @package@;

            import static org.assertj.core.api.Assertions.assertThat;

            import io.pgdbm.testing.DualMode;
            import io.pgdbm.testing.DualModeTest;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;

            class @Name@ApiTest {
                private final HttpClient http = HttpClient.newHttpClient();

                @DualModeTest
                void createsAndReadsItemsOverHttp(DualMode mode) throws Exception {
                    try (@Name@ @name@ = mode.open(@Name@::new, @Name@::new); @Name@Api api = new @Name@Api(@name@, 0)) {
                        String base = "http://127.0.0.1:" + api.port() + "/items";
                        HttpResponse<String> created = http.send(
                                HttpRequest.newBuilder(URI.create(base)).POST(HttpRequest.BodyPublishers.ofString("lamp")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(created.statusCode()).isEqualTo(201);
                        assertThat(created.body()).contains("\\"name\\": \\"lamp\\"");
                        HttpResponse<String> all = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(all.body()).startsWith("[").contains("lamp");
                        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/999")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(missing.statusCode()).isEqualTo(404);
                        HttpResponse<String> bad = http.send(
                                HttpRequest.newBuilder(URI.create(base)).POST(HttpRequest.BodyPublishers.ofString(" ")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(bad.statusCode()).isEqualTo(400);
                    }
                }
            }
            """;

    private static final String CONFIG = """
            # pgdbm.toml: read by the pgdbm command line (and compatible with the Python pgdbm's).
            # Every string may use ${VAR} or ${VAR:-default} to read environment variables.

            [project]
            name = "@project@"
            # the environment used without --env (or PGDBM_ENV)
            default_env = "dev"

            # One table per environment: a url (or connection_string), or host/port/database/user/password.
            [environments.dev]
            url = "${DATABASE_URL:-postgresql://postgres@localhost:5432/@project@_dev}"
            # modules without a schema of their own migrate into this one
            schema = "public"

            [environments.test]
            host = "localhost"
            port = 5432
            database = "@project@_test"
            user = "postgres"
            password = "${PGPASSWORD:-}"

            [environments.prod]
            url = "${DATABASE_URL}"
            ssl_enabled = true
            ssl_mode = "verify-full"
            # ssl_ca_file = "certs/root.crt"      # relative to this file
            # ssl_cert_file / ssl_key_file for client certificates

            # One table per module: its migrations (a directory, or classpath:db/NAME), its schema, and the
            # modules whose migrations must run first. `pgdbm migrate apply` runs them in that order.
            # [modules.users]
            # migrations_path = "users/src/main/resources/db/users"
            # schema = "users"
            # mode = "dual"          # standalone | library | dual
            # depends_on = []
            #
            # [modules.orders]
            # migrations_path = "orders/src/main/resources/db/orders"
            # schema = "orders"
            # depends_on = ["users"]

            # The pool commands share when they open several modules.
            # [shared_pool]
            # min_connections = 1
            # max_connections = 10
            # modules = ["users", "orders"]
            """;
}
