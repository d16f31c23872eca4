package io.pgdbm.migrations;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.SharedPool;
import java.nio.file.Path;
import java.time.Duration;

/** Run in child JVMs by {@link MigrationConcurrencyTest}: applies one module, prints the result, exits 0. */
public final class MigrateMain {
    private MigrateMain() {}

    public static void main(String[] args) {
        String url = System.getenv("MIGRATE_URL");
        DatabaseConfig config = DatabaseConfig.builder()
                .url(url)
                .minConnections(0)
                .maxConnections(4)
                .startupRetries(0, Duration.ZERO)
                .build();
        try (SharedPool pool = SharedPool.create(config)) {
            MigrationResult result = MigrationManager.of(pool.manager(args[1]), Path.of(args[0]), args[2])
                    .applyPending();
            System.out.println(
                    "RESULT " + result.status() + " " + result.applied().size());
        }
    }
}
