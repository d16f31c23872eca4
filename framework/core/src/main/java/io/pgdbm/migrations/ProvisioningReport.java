package io.pgdbm.migrations;

import io.pgdbm.PgdbmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link SchemaProvisioner#provision} did: each schema migrated, the error that stopped it, or left alone
 * because the run stopped ({@link SchemaProvisioner#stopAfterFailures}).
 *
 * @param module the module whose migrations were applied
 * @param succeeded the schemas now up to date, in completion order
 * @param failed each failed schema and its error
 * @param skipped the schemas not started because the run stopped after too many failures; run again for them
 * @param elapsed the whole run
 */
public record ProvisioningReport(
        String module,
        List<MigrationResult> succeeded,
        Map<String, PgdbmException> failed,
        List<String> skipped,
        Duration elapsed) {

    public ProvisioningReport {
        succeeded = List.copyOf(succeeded);
        failed = Map.copyOf(failed);
        skipped = List.copyOf(skipped);
    }

    /** A report of a run that skipped nothing. */
    public ProvisioningReport(
            String module, List<MigrationResult> succeeded, Map<String, PgdbmException> failed, Duration elapsed) {
        this(module, succeeded, failed, List.of(), elapsed);
    }

    /** Whether every schema asked for is up to date: none failed, none skipped. */
    public boolean allSucceeded() {
        return failed.isEmpty() && skipped.isEmpty();
    }
}
