package io.pgdbm.internal.migrations;

import io.pgdbm.migrations.MigrationInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/** Flyway's migration infos as pgdbm's {@link MigrationInfo}s, and its versions as pgdbm's file names. */
public final class FlywayInfos {
    private FlywayInfos() {}

    /**
     * pgdbm's view of one of Flyway's entries: CHANGED for an applied file whose checksum differs (and for an
     * unnumbered pgdbm file Flyway would re-run), MISSING for history without a file; empty for bookkeeping rows.
     */
    public static Optional<MigrationInfo> toInfo(List<MigrationFile> files, org.flywaydb.core.api.MigrationInfo info) {
        MigrationState state = info.getState();
        MigrationFile named = info.getVersion() == null
                ? files.stream()
                        .filter(f -> f.named() && f.description().equals(info.getDescription()))
                        .findFirst()
                        .orElse(null)
                : null;
        boolean checksumDiffers = info.getResolvedChecksum() != null
                && info.getAppliedChecksum() != null
                && !info.getResolvedChecksum().equals(info.getAppliedChecksum());
        MigrationInfo.State ours;
        switch (state) {
            case SUCCESS -> ours = checksumDiffers ? MigrationInfo.State.CHANGED : MigrationInfo.State.APPLIED;
            // a named file that changed is "outdated" to Flyway (it would re-run it); to pgdbm it changed
            case OUTDATED -> ours = named != null ? MigrationInfo.State.CHANGED : MigrationInfo.State.PENDING;
            case PENDING, IGNORED, OUT_OF_ORDER, ABOVE_TARGET -> ours = MigrationInfo.State.PENDING;
            case FAILED -> ours = MigrationInfo.State.FAILED;
            case MISSING_SUCCESS, MISSING_FAILED, FUTURE_SUCCESS, FUTURE_FAILED -> ours = MigrationInfo.State.MISSING;
            default -> {
                return Optional.empty(); // baseline, superseded repeatable runs and other bookkeeping rows
            }
        }
        if (named != null && state == MigrationState.SUPERSEDED) {
            return Optional.empty();
        }
        Optional<String> version = named != null
                ? Optional.of(named.version())
                : Optional.ofNullable(info.getVersion()).map(MigrationVersion::getVersion);
        return Optional.of(new MigrationInfo(
                version,
                info.getDescription(),
                info.getScript(),
                ours,
                Optional.ofNullable(info.getResolvedChecksum()),
                Optional.ofNullable(info.getAppliedChecksum()),
                Optional.ofNullable(info.getInstalledOn()).map(date -> Instant.ofEpochMilli(date.getTime())),
                Optional.ofNullable(info.getExecutionTime())));
    }

    /** The file name for a version (or a repeatable's description) that Flyway reports. */
    public static String fileFor(List<MigrationFile> files, String version, String description) {
        for (MigrationFile file : files) {
            boolean matches = version == null || version.isEmpty()
                    ? file.repeatable() && file.description().equals(description)
                    : !file.repeatable() && file.migrationVersion().equals(MigrationVersion.fromVersion(version));
            if (matches) {
                return file.fileName();
            }
        }
        return version == null || version.isEmpty() ? description : version + " " + description;
    }
}
