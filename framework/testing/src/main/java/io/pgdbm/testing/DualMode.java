package io.pgdbm.testing;

import io.pgdbm.DatabaseManager;
import java.util.function.Function;

/**
 * One run of a {@link DualModeTest}: how the module under test is to be given its database.
 *
 * @param mode standalone or library
 * @param database the run's database
 * @param schema the schema of the library-mode manager
 */
public record DualMode(Mode mode, TestDatabase database, String schema) {

    /** The two ways in. */
    public enum Mode {
        /** The module gets a URL and opens its own pool. */
        STANDALONE,
        /** The module gets a manager from the host's shared pool. */
        LIBRARY
    }

    public boolean standalone() {
        return mode == Mode.STANDALONE;
    }

    /** The URL a standalone module connects to (with credentials; do not print it). */
    public String url() {
        return database.url();
    }

    /** The manager a host would hand the module in library mode: the run's pool, schema {@link #schema()}. */
    public DatabaseManager manager() {
        return database.pool().manager(schema);
    }

    /**
     * Builds the module the way this run asks: {@code standalone.apply(url())} or {@code
     * library.apply(manager())}.
     */
    public <T> T open(Function<String, T> standalone, Function<DatabaseManager, T> library) {
        return standalone() ? standalone.apply(url()) : library.apply(manager());
    }

    @Override
    public String toString() {
        return mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
