package io.pgdbm.cli;

import io.pgdbm.SharedPool;
import io.pgdbm.migrations.DriftReport;
import io.pgdbm.migrations.ProvisioningReport;
import io.pgdbm.migrations.SchemaProvisioner;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgdbm tenants …}: one module's migrations across many tenant schemas. */
@Command(
        name = "tenants",
        description = "One module's migrations across many tenant schemas: where each stands, and applying them.",
        subcommands = {TenantsCommand.Plan.class, TenantsCommand.Apply.class, TenantsCommand.Status.class})
final class TenantsCommand extends GroupCommand {

    /** The module and its tenant schemas: named, or every existing schema matching a pattern. */
    static final class Target {
        @Option(
                names = {"-m", "--module"},
                required = true,
                paramLabel = "MODULE",
                description = "The tenant module (a [modules.NAME] of pgdbm.toml)")
        String module;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Schemas schemas;

        static final class Schemas {
            @Option(names = "--schema", split = ",", paramLabel = "SCHEMA", description = "These schemas")
            List<String> names;

            @Option(
                    names = "--schemas-like",
                    paramLabel = "PATTERN",
                    description = "Every existing schema whose name matches this LIKE pattern, e.g. tenant_%")
            String like;
        }
    }

    /** What both subcommands share: the module, its schemas, a pool. */
    abstract static class TenantWork extends BaseCommand {
        @Mixin
        Target target = new Target();

        ProjectConfig.Module module(Workspace workspace) {
            List<ProjectConfig.Module> found = workspace.modules(List.of(target.module), true);
            if (found.isEmpty()) {
                throw CliException.config("No module '" + target.module + "' is configured");
            }
            return found.get(0);
        }

        List<String> schemas(SchemaProvisioner provisioner) {
            if (target.schemas.names != null) {
                return target.schemas.names;
            }
            List<String> matching = provisioner.schemasLike(target.schemas.like);
            if (matching.isEmpty()) {
                throw CliException.config("No schema matches --schemas-like '" + target.schemas.like
                        + "' (a LIKE pattern: % for any characters, _ for one)");
            }
            return matching;
        }

        /** Each selected schema's state, read on a pool that is closed again before anything is printed. */
        DriftReport drift() {
            Workspace workspace = root().workspace();
            ProjectConfig.Module module = module(workspace);
            try (SharedPool pool = open(workspace.sharedDatabase())) {
                SchemaProvisioner provisioner = workspace.provisioner(pool, module);
                return provisioner.drift(schemas(provisioner));
            }
        }
    }

    @Command(
            name = "status",
            description = "Where each tenant schema stands: up to date, behind, ahead, changed, failed or missing.")
    static final class Status extends TenantWork {
        @Option(names = "--json", description = "Print JSON")
        boolean json;

        @Override
        void run() {
            DriftReport report = drift();
            if (json) {
                say(Json.drift(report));
                return;
            }
            for (DriftReport.Tenant tenant : report.tenants()) {
                say(String.format(Locale.ROOT, "  %-12s %s%s", label(tenant.state()), tenant.schema(), detail(tenant)));
            }
            say(report.module() + ": " + summary(report.counts()) + " ("
                    + report.tenants().size() + " schemas, " + report.elapsed().toMillis() + " ms)");
        }

        private static String detail(DriftReport.Tenant tenant) {
            return switch (tenant.state()) {
                case BEHIND -> "  pending: " + String.join(", ", tenant.behind());
                case AHEAD -> "  not in the files: " + String.join(", ", tenant.ahead());
                case CHANGED -> "  changed: " + String.join(", ", tenant.changed());
                case FAILED -> "  failed: " + String.join(", ", tenant.failed());
                case UNREADABLE -> "  " + tenant.problem();
                case UP_TO_DATE, MISSING -> "";
            };
        }
    }

    @Command(
            name = "plan",
            description = "What apply would do to each tenant schema: the files it would run, or why it cannot.")
    static final class Plan extends TenantWork {
        @Option(names = "--json", description = "Print JSON (as tenants status --json)")
        boolean json;

        @Override
        void run() {
            DriftReport report = drift();
            if (json) {
                say(Json.drift(report));
                return;
            }
            int runs = 0;
            int blocked = 0;
            for (DriftReport.Tenant tenant : report.tenants()) {
                String line = switch (tenant.state()) {
                    case UP_TO_DATE -> "✓ " + tenant.schema() + ": up to date, nothing would run";
                    case BEHIND -> "→ " + tenant.schema() + ": would apply " + String.join(", ", tenant.behind());
                    case MISSING -> "→ " + tenant.schema() + ": would create the schema and apply every file";
                    case AHEAD ->
                        "✗ " + tenant.schema() + ": migrated by files this release does not have ("
                                + String.join(", ", tenant.ahead()) + ")";
                    case CHANGED ->
                        "✗ " + tenant.schema() + ": files changed since they were applied ("
                                + String.join(", ", tenant.changed()) + "); repair or restore them first";
                    case FAILED ->
                        "✗ " + tenant.schema() + ": a failed migration left an entry ("
                                + String.join(", ", tenant.failed()) + "); clean up, then repair";
                    case UNREADABLE -> "✗ " + tenant.schema() + ": " + tenant.problem();
                };
                if (tenant.state() == DriftReport.State.BEHIND || tenant.state() == DriftReport.State.MISSING) {
                    runs++;
                } else if (tenant.state() != DriftReport.State.UP_TO_DATE) {
                    blocked++;
                }
                say(line);
            }
            say(report.module() + ": " + runs + " of " + report.tenants().size() + " schemas would be migrated"
                    + (blocked == 0 ? "" : ", " + blocked + " need attention first"));
        }
    }

    @Command(
            name = "apply",
            description = "Apply pending migrations to each tenant schema, in parallel, creating missing schemas.")
    static final class Apply extends TenantWork {
        @Option(
                names = "--parallelism",
                paramLabel = "N",
                description = "Schemas migrated at once (default: a third of the pool's connections)")
        Integer parallelism;

        @Option(
                names = "--stop-after",
                paramLabel = "K",
                description = "Start no further schema once K have failed (default: never stop)")
        Integer stopAfter;

        @Override
        void run() {
            Workspace workspace = root().workspace();
            ProjectConfig.Module module = module(workspace);
            try (SharedPool pool = open(workspace.sharedDatabase())) {
                SchemaProvisioner provisioner = workspace.provisioner(pool, module);
                List<String> schemas = schemas(provisioner);
                provisioner.onProgress(progress -> say("[" + progress.done() + "/" + progress.total() + "] "
                        + (progress.succeeded()
                                ? "✓ " + progress.schema()
                                : "✗ " + progress.schema() + ": "
                                        + progress.error().getMessage())));
                if (parallelism != null) {
                    provisioner.parallelism(parallelism);
                }
                if (stopAfter != null) {
                    provisioner.stopAfterFailures(stopAfter);
                }
                ProvisioningReport report = provisioner.provision(schemas);
                say(module.name() + ": " + report.succeeded().size() + " up to date, "
                        + report.failed().size()
                        + " failed"
                        + (report.skipped().isEmpty()
                                ? ""
                                : ", " + report.skipped().size() + " not started (stopped after "
                                        + report.failed().size() + " failures; run again to continue)")
                        + " (" + report.elapsed().toMillis() + " ms)");
                if (!report.allSucceeded()) {
                    throw new CliException(
                            ExitCodes.MIGRATION,
                            report.failed().size() + " of " + schemas.size() + " schemas failed"
                                    + (report.skipped().isEmpty()
                                            ? ""
                                            : ", " + report.skipped().size() + " not started")
                                    + ": " + String.join(", ", report.failed().keySet()));
                }
            }
        }
    }

    static String label(DriftReport.State state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    static String summary(Map<DriftReport.State, Long> counts) {
        StringBuilder out = new StringBuilder();
        counts.forEach((state, count) ->
                out.append(out.isEmpty() ? "" : ", ").append(count).append(' ').append(label(state)));
        return out.toString();
    }
}
