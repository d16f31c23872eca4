package com.example.users;

import static com.example.users.db.Tables.USERS;

import com.example.users.db.UsersModule;
import com.example.users.db.tables.records.UsersRecord;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.PreparedSelect;
import io.pgdbm.migrations.MigrationManager;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The users module: a dual-mode library. Give it a URL and it owns a pool; give it a manager from a host's
 * shared pool and it uses that, in whatever schema the host chose. Either way it runs its own migrations,
 * under its own module name, when constructed.
 */
public final class Users implements AutoCloseable {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final DatabaseManager db;
    /** The hottest lookup, rendered once for this module's schema (see docs/typed-queries.md). */
    private final PreparedSelect<UsersRecord> byId;

    /** Standalone: a pool of its own on {@code databaseUrl}, schema {@code users}. */
    public Users(String databaseUrl) {
        this(DatabaseManager.connect(DatabaseConfig.builder()
                .url(databaseUrl)
                .schema("users")
                .maxConnections(4)
                .build()));
    }

    /** Library mode: the host's manager; closing this module leaves the host's pool open. */
    public Users(DatabaseManager db) {
        this.db = db.forModule(UsersModule.INSTANCE);
        MigrationManager.of(this.db, UsersModule.INSTANCE).applyPending();
        this.byId = this.db.prepare(this.db.dsl().selectFrom(USERS).where(USERS.ID.eq(0L)));
    }

    /** Registers a user; the e-mail address must be valid and not yet taken (case-insensitively). */
    public User register(String email, String name) {
        if (email == null || !EMAIL.matcher(email).matches()) {
            throw new UserException(
                    UserException.Reason.INVALID_EMAIL, "'" + email + "' is not a valid e-mail address");
        }
        if (name == null || name.isBlank()) {
            throw new UserException(UserException.Reason.INVALID_NAME, "a user needs a name");
        }
        try {
            return db.dsl()
                    .insertInto(USERS)
                    .set(USERS.EMAIL, email.strip())
                    .set(USERS.NAME, name.strip())
                    .returning()
                    .fetchOne()
                    .into(User.class);
        } catch (org.jooq.exception.DataAccessException e) {
            if ("23505".equals(e.sqlState())) {
                throw new UserException(UserException.Reason.DUPLICATE_EMAIL, email + " is already registered");
            }
            throw e;
        }
    }

    public Optional<User> find(long id) {
        return byId.fetchOne(User.class, id);
    }

    public Optional<User> findByEmail(String email) {
        // Plain SQL works side by side with the typed API.
        return db.fetchOne(User.class, "SELECT * FROM {{tables.users}} WHERE lower(email) = lower($1)", email);
    }

    public boolean exists(long id) {
        return db.dsl().fetchExists(USERS, USERS.ID.eq(id));
    }

    public List<User> list() {
        return db.dsl().selectFrom(USERS).orderBy(USERS.ID).fetchInto(User.class);
    }

    /** Up to {@code limit} users with ids above {@code after}, by id: a page that stays cheap however far in. */
    public List<User> page(long after, int limit) {
        return db.dsl()
                .selectFrom(USERS)
                .where(USERS.ID.gt(after))
                .orderBy(USERS.ID)
                .limit(limit)
                .fetchInto(User.class);
    }

    /** The manager this module uses (its schema is the module's). */
    public DatabaseManager database() {
        return db;
    }

    /** Closes the pool if this module opened it. */
    @Override
    public void close() {
        db.close();
    }
}
