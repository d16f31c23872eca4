package io.pgdbm;

/**
 * What a module is, as far as its database goes: its name (which names its migration history), the
 * canonical schema its generated jOOQ classes were generated against, and where its migrations are. The
 * pgdbm codegen plugin generates one per module ({@code UsersModule.INSTANCE}); a hand-written record works
 * too.
 *
 * <pre>{@code
 * DatabaseManager users = pool.manager("tenant_7").forModule(UsersModule.INSTANCE);
 * MigrationManager.of(users, UsersModule.INSTANCE).applyPending();
 * users.dsl().selectFrom(USERS).fetch();   // renders "tenant_7"."users"
 * }</pre>
 */
public interface ModuleDescriptor {

    /** The module name: the history table is {@code <name>_schema_history}. */
    String name();

    /** The schema the module's generated classes name; mapped onto a manager's schema at run time. */
    String canonicalSchema();

    /** The migrations' location, usually {@code classpath:db/<name>}. */
    String migrationsLocation();

    /** A descriptor from its three values. */
    static ModuleDescriptor of(String name, String canonicalSchema, String migrationsLocation) {
        record Simple(String name, String canonicalSchema, String migrationsLocation) implements ModuleDescriptor {}
        return new Simple(name, canonicalSchema, migrationsLocation);
    }
}
