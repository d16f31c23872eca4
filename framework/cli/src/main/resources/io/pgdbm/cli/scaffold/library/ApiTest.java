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
            assertThat(created.body()).contains("\"name\": \"lamp\"");
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
