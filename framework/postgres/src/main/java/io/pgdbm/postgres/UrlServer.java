package io.pgdbm.postgres;

import java.util.Optional;

/** A server someone else runs, named by a URL. Closing it does nothing. */
final class UrlServer implements PostgresServer {
    private final Urls.ServerAddress address;

    UrlServer(Urls.ServerAddress address) {
        this.address = address;
    }

    @Override
    public Kind kind() {
        return Kind.URL;
    }

    @Override
    public String host() {
        return address.host();
    }

    @Override
    public int port() {
        return address.port();
    }

    @Override
    public String user() {
        return address.user();
    }

    @Override
    public Optional<String> password() {
        return address.password();
    }

    @Override
    public String adminDatabase() {
        return address.database();
    }

    @Override
    public void close() {
        // not ours to stop
    }

    @Override
    public String toString() {
        return describe();
    }
}
