package io.pgdbm.cli;

import io.pgdbm.codegen.CodeGenerator;
import io.pgdbm.postgres.PostgresServers;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pgdbm codegen}: jOOQ classes from modules' migrations, outside Maven (the plugin does the same in a
 * build). Migrations are applied to a scratch database on an embedded PostgreSQL, or on {@code --url}.
 */
@Command(name = "codegen", description = "Generate jOOQ classes from one module's (or every module's) migrations.")
final class CodegenCommand extends BaseCommand {
    @Option(
            names = {"-m", "--module"},
            paramLabel = "MODULE",
            split = ",",
            description = "These modules (default: all)")
    List<String> modules;

    @Option(
            names = "--package",
            paramLabel = "PACKAGE",
            required = true,
            description = "Java package; when the project has several modules, each gets PACKAGE.MODULE")
    String packageName;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "DIR",
            defaultValue = "target/generated-sources/pgdbm",
            description = "Source root to write into (default ${DEFAULT-VALUE})")
    Path output;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "Generate on this server (a user that may create databases) instead of an embedded one")
    String url;

    @Option(names = "--force", description = "Generate even when the migrations did not change")
    boolean force;

    @Override
    void run() {
        ProjectConfig config = root().project();
        Workspace layout = Workspace.layout(config);
        List<ProjectConfig.Module> selected = layout.modules(modules == null ? List.of() : modules, true);
        if (selected.isEmpty()) {
            say("No modules configured.");
            return;
        }
        Path target = root().workingDirectory().resolve(output).normalize();
        try {
            for (ProjectConfig.Module module : selected) {
                String pkg = config.modules().size() > 1 ? packageName + "." + module.name() : packageName;
                say("… " + module.name() + ": generating into " + pkg);
                CodeGenerator.Builder builder = CodeGenerator.builder()
                        .module(module.name())
                        .migrations(
                                layout.directoryOf(module).map(Path::toString).orElse(module.migrationsPath()))
                        .packageName(pkg)
                        .outputDirectory(target)
                        .force(force);
                if (url != null) {
                    builder.server(PostgresServers.fromUrl(url));
                }
                CodeGenerator.Result result = builder.build().generate();
                say("✓ " + module.name() + ": " + (result.generated() ? "generated" : result.reason()) + " ("
                        + result.descriptorClass() + ", " + result.elapsed().toMillis() + " ms)");
            }
        } catch (IllegalArgumentException e) {
            throw CliException.config(e.getMessage());
        } finally {
            CodeGenerator.stopEmbeddedServer();
        }
        say("Sources in " + target);
    }
}
