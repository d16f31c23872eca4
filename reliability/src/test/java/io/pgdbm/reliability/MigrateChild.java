package io.pgdbm.reliability;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationManager;
import java.nio.file.Path;

/** A separate JVM applying a module's migrations: {@code url directory module schema}. Killed by the tests. */
public final class MigrateChild {
    private MigrateChild() {}

    public static void main(String[] args) {
        DatabaseConfig config = DatabaseConfig.builder()
                .url(args[0])
                .applicationName("pgdbm-migrate-child")
                .maxConnections(2)
                .build();
        try (SharedPool pool = SharedPool.create(config)) {
            MigrationManager.of(pool.manager(args[3]), Path.of(args[1]), args[2])
                    .applyPending();
        }
    }
}
