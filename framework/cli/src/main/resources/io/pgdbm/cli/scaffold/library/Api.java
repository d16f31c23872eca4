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
                    send(exchange, 400, "{\"error\": \"" + e.getMessage() + "\"}");
                }
            } else if (method.equals("GET") && path.equals("/items")) {
                send(exchange, 200, @name@.list().stream().map(@Name@Api::json)
                        .collect(Collectors.joining(", ", "[", "]")));
            } else if (method.equals("GET") && path.matches("/items/\\d+")) {
                long id = Long.parseLong(path.substring("/items/".length()));
                var item = @name@.find(id);
                if (item.isPresent()) {
                    send(exchange, 200, json(item.get()));
                } else {
                    send(exchange, 404, "{\"error\": \"no item " + id + "\"}");
                }
            } else {
                send(exchange, 405, "{\"error\": \"not supported\"}");
            }
        }
    }

    private static String json(Item item) {
        return "{\"id\": " + item.id() + ", \"name\": \"" + item.name().replace("\\", "\\\\")
                .replace("\"", "\\\"") + "\"}";
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
