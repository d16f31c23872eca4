package io.pgdbm.migrations;

import io.pgdbm.PgdbmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link SchemaProvisioner#provision} did: each schema migrated or the error that stopped it.
 *
 * @param module the module whose migrations were applied
 * @param succeeded the schemas now up to date, in completion order
 * @param failed each failed schema and its error
 * @param elapsed the whole run
 */
public record ProvisioningReport(
        String module, List<MigrationResult> succeeded, Map<String, PgdbmException> failed, Duration elapsed) {

    public ProvisioningReport {
        succeeded = List.copyOf(succeeded);
        failed = Map.copyOf(failed);
    }

    public boolean allSucceeded() {
        return failed.isEmpty();
    }
}
