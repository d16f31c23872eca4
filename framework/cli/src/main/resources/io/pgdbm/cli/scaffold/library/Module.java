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
