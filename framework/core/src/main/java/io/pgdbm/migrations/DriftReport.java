package io.pgdbm.migrations;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where each tenant schema of a module stands against the module's migration files ({@link
 * SchemaProvisioner#drift}): read from each schema's history, nothing changed.
 *
 * @param module the module
 * @param tenants one entry per schema asked about, in the order asked
 * @param elapsed how long reading took
 */
public record DriftReport(String module, List<Tenant> tenants, Duration elapsed) {

    public DriftReport {
        tenants = List.copyOf(tenants);
    }

    /** Where one schema stands: the worst of what its history shows. */
    public enum State {
        /** Every file applied, none changed, nothing applied that the files do not have. */
        UP_TO_DATE,
        /** Files not applied yet: {@code applyPending} or provisioning brings it up to date. */
        BEHIND,
        /** Its history has migrations the files do not: a newer release migrated it, or files were removed. */
        AHEAD,
        /** Files changed after they were applied here: validation fails until repaired. */
        CHANGED,
        /** A migration failed outside a transaction and left a failed entry: clean up, then repair. */
        FAILED,
        /** The schema does not exist: never provisioned, or dropped. */
        MISSING,
        /** Its state could not be read; {@link Tenant#problem()} says why. */
        UNREADABLE
    }

    /**
     * One schema.
     *
     * @param behind files not applied yet
     * @param ahead migrations in the history that the files do not have
     * @param changed files changed since they were applied
     * @param failed migrations recorded as failed
     * @param problem why the state could not be read (state {@link State#UNREADABLE}); empty otherwise
     */
    public record Tenant(
            String schema,
            State state,
            List<String> behind,
            List<String> ahead,
            List<String> changed,
            List<String> failed,
            String problem) {

        public Tenant {
            behind = List.copyOf(behind);
            ahead = List.copyOf(ahead);
            changed = List.copyOf(changed);
            failed = List.copyOf(failed);
        }

        static Tenant of(String schema, MigrationStatus status) {
            List<String> behind = files(status.pending());
            List<String> ahead = files(status.missing());
            List<String> changed = files(status.changed());
            List<String> failed = files(status.failed());
            State state = !failed.isEmpty()
                    ? State.FAILED
                    : !changed.isEmpty()
                            ? State.CHANGED
                            : !ahead.isEmpty() ? State.AHEAD : !behind.isEmpty() ? State.BEHIND : State.UP_TO_DATE;
            return new Tenant(schema, state, behind, ahead, changed, failed, "");
        }

        private static List<String> files(List<MigrationInfo> infos) {
            return infos.stream().map(MigrationInfo::file).toList();
        }
    }

    /** The schemas in {@code state}. */
    public List<Tenant> in(State state) {
        return tenants.stream().filter(t -> t.state() == state).toList();
    }

    /** How many schemas are in each state (states with none left out). */
    public Map<State, Long> counts() {
        Map<State, Long> counts = new EnumMap<>(State.class);
        for (Tenant tenant : tenants) {
            counts.merge(tenant.state(), 1L, Long::sum);
        }
        return counts;
    }

    /** Whether every schema is up to date. */
    public boolean upToDate() {
        return tenants.stream().allMatch(t -> t.state() == State.UP_TO_DATE);
    }
}
