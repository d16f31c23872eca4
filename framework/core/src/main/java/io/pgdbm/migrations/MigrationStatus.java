package io.pgdbm.migrations;

import java.util.List;

/**
 * Every migration of a module in one schema, in order, as {@link MigrationManager#status()} sees it.
 *
 * @param module the module name
 * @param schema the schema
 * @param historyTable the table holding this module's history, in {@code schema}
 * @param migrations one entry per migration
 */
public record MigrationStatus(String module, String schema, String historyTable, List<MigrationInfo> migrations) {

    public MigrationStatus {
        migrations = List.copyOf(migrations);
    }

    public List<MigrationInfo> applied() {
        return in(MigrationInfo.State.APPLIED);
    }

    public List<MigrationInfo> pending() {
        return in(MigrationInfo.State.PENDING);
    }

    public List<MigrationInfo> failed() {
        return in(MigrationInfo.State.FAILED);
    }

    public List<MigrationInfo> missing() {
        return in(MigrationInfo.State.MISSING);
    }

    public List<MigrationInfo> changed() {
        return in(MigrationInfo.State.CHANGED);
    }

    /** Whether every migration is applied and unchanged. */
    public boolean upToDate() {
        return migrations.stream().allMatch(m -> m.state() == MigrationInfo.State.APPLIED);
    }

    private List<MigrationInfo> in(MigrationInfo.State state) {
        return migrations.stream().filter(m -> m.state() == state).toList();
    }
}
