package io.pgdbm.reliability;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.SchemaProvisioner;
import java.nio.file.Path;
import java.util.List;

/** A separate JVM provisioning tenant schemas: {@code url directory module schema…}. Killed by the tests. */
public final class ProvisionChild {
    private ProvisionChild() {}

    public static void main(String[] args) {
        DatabaseConfig config = DatabaseConfig.builder()
                .url(args[0])
                .applicationName("pgdbm-provision-child")
                .maxConnections(9)
                .build();
        try (SharedPool pool = SharedPool.create(config)) {
            SchemaProvisioner.of(pool, Path.of(args[1]), args[2])
                    .parallelism(3)
                    .provision(List.of(args).subList(3, args.length));
        }
    }
}
