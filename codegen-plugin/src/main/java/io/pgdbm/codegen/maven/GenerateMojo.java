package io.pgdbm.codegen.maven;

import io.pgdbm.PgdbmException;
import io.pgdbm.codegen.CodeGenerator;
import io.pgdbm.postgres.PostgresServer;
import io.pgdbm.postgres.PostgresServers;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.jooq.meta.jaxb.ForcedType;
import org.jooq.meta.jaxb.Generate;

/**
 * Generates jOOQ classes for a module from its migrations (see {@link CodeGenerator}) and adds them as a
 * source root. Skipped when the migrations and options are unchanged since the last build; {@code
 * -Dpgdbm.codegen.skip} skips it always.
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>io.pgdbm</groupId>
 *   <artifactId>pgdbm-codegen-maven-plugin</artifactId>
 *   <executions><execution><goals><goal>generate</goal></goals></execution></executions>
 *   <configuration>
 *     <module>users</module>
 *     <packageName>com.example.users.db</packageName>
 *   </configuration>
 * </plugin>
 * }</pre>
 */
@Mojo(
        name = "generate",
        defaultPhase = LifecyclePhase.GENERATE_SOURCES,
        threadSafe = true,
        // collected, not resolved: `generate-sources` alone must work in a reactor whose modules have no jars yet
        requiresDependencyCollection = ResolutionScope.COMPILE)
public final class GenerateMojo extends AbstractMojo {

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    private final org.eclipse.aether.RepositorySystem repositorySystem;

    @javax.inject.Inject
    public GenerateMojo(org.eclipse.aether.RepositorySystem repositorySystem) {
        this.repositorySystem = repositorySystem;
    }

    /** The module name: names its history table and the generated {@code <Module>Module} descriptor. */
    @Parameter(required = true)
    private String module;

    /** The schema generated classes name; default the module name. */
    @Parameter
    private String canonicalSchema;

    /** Migration locations, directories or {@code classpath:…}; default {@code src/main/resources/db/<module>}. */
    @Parameter
    private List<String> migrations;

    /** The package of the generated classes. */
    @Parameter(required = true)
    private String packageName;

    @Parameter(defaultValue = "${project.build.directory}/generated-sources/pgdbm")
    private File outputDirectory;

    /** jOOQ's {@code <generate>} options (records, pojos, pojosAsJavaRecordClasses, daos, …). */
    @Parameter
    private Generate generate;

    /** jOOQ's include expression. */
    @Parameter
    private String includes;

    /** jOOQ's exclude expression (the history table is always excluded). */
    @Parameter
    private String excludes;

    /** jOOQ forced types. */
    @Parameter
    private List<ForcedType> forcedTypes;

    /** {@code embedded} (default), {@code url} (with {@link #url}) or {@code testcontainers}. */
    @Parameter(property = "pgdbm.codegen.provider", defaultValue = "embedded")
    private String provider;

    /** The server for {@code provider=url}: a user allowed to create databases. */
    @Parameter(property = "pgdbm.codegen.url")
    private String url;

    /**
     * Modules this one references in its migrations ({@code {{tables.accounts.accounts}}}), applied first:
     * {@code <module>accounts</module>} (migrations at {@code classpath:db/accounts}, from a dependency of this
     * project or a reactor sibling) or {@code <module>accounts=path/or/classpath:location</module>}, in the order
     * they apply. Their objects are not generated here: use their own generated classes.
     */
    @Parameter
    private List<String> dependsOn;

    @Parameter(property = "pgdbm.codegen.skip", defaultValue = "false")
    private boolean skip;

    /** Generate even when nothing changed. */
    @Parameter(property = "pgdbm.codegen.force", defaultValue = "false")
    private boolean force;

    /**
     * The build's generate executions, counted once per build (keyed by its request, which every project's
     * session shares, also in {@code -T} builds): the embedded server starts once and stops when the last
     * execution has finished and none is running — not while another thread still generates.
     */
    private static final java.util.Map<Object, Executions> BUILDS =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    private static final class Executions {
        int remaining;
        int running;
        /** A generation failed: later projects may never run, so the count would never reach zero. */
        boolean failed;

        Executions(int remaining) {
            this.remaining = remaining;
        }
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Object build = session.getRequest();
        Executions executions = BUILDS.computeIfAbsent(build, key -> new Executions(countExecutions()));
        synchronized (executions) {
            executions.running++;
        }
        boolean failed = true;
        try {
            generate();
            failed = false;
        } finally {
            boolean stop;
            synchronized (executions) {
                executions.running--;
                executions.remaining--;
                executions.failed |= failed;
                // after the last execution; or, once one failed, whenever no other thread is generating (an
                // execution that still runs later, with --fail-at-end, starts a server of its own again)
                stop = executions.running == 0 && (executions.remaining <= 0 || executions.failed);
                if (executions.remaining <= 0) {
                    BUILDS.remove(build);
                }
            }
            if (stop) {
                // while this plugin's classes are still loaded (a JVM shutdown hook may run after they are not)
                CodeGenerator.stopEmbeddedServer();
            }
        }
    }

    /** This plugin's generate goals in the build's projects (at least this one). */
    private int countExecutions() {
        String key = "io.pgdbm:pgdbm-codegen-maven-plugin";
        int count = 0;
        for (MavenProject each : session.getProjects()) {
            for (org.apache.maven.model.Plugin plugin : each.getBuildPlugins()) {
                if (key.equals(plugin.getKey())) {
                    for (org.apache.maven.model.PluginExecution execution : plugin.getExecutions()) {
                        count += (int) execution.getGoals().stream()
                                .filter("generate"::equals)
                                .count();
                    }
                }
            }
        }
        return Math.max(1, count);
    }

    private void generate() throws MojoExecutionException, MojoFailureException {
        Path output = outputDirectory.toPath();
        project.addCompileSourceRoot(output.toString());
        if (skip) {
            if (java.nio.file.Files.isDirectory(output.resolve(packageName.replace('.', '/')))) {
                getLog().info("pgdbm codegen skipped (pgdbm.codegen.skip); the classes of an earlier build stay");
            } else {
                getLog().warn("pgdbm codegen skipped (pgdbm.codegen.skip), and " + output + " holds no classes for"
                        + " module " + module + " (after a clean, say): code using package " + packageName
                        + " will fail to compile with \"package ... does not exist\". Build once without"
                        + " -Dpgdbm.codegen.skip.");
            }
            return;
        }
        List<String> locations = migrations == null || migrations.isEmpty()
                ? List.of(project.getBasedir()
                        .toPath()
                        .resolve("src/main/resources/db/" + module)
                        .toString())
                : migrations;
        try (URLClassLoader classLoader = projectClassLoader(locations)) {
            CodeGenerator.Builder builder = CodeGenerator.builder()
                    .module(module)
                    .canonicalSchema(canonicalSchema)
                    .migrations(locations)
                    .runtimeMigrationsLocation(runtimeLocation(locations.get(0)))
                    .packageName(packageName)
                    .outputDirectory(output)
                    .generate(generate)
                    .includes(includes)
                    .excludes(excludes)
                    .forcedTypes(forcedTypes == null ? List.of() : forcedTypes)
                    .classLoader(classLoader)
                    .force(force);
            for (String dependency : dependsOn == null ? List.<String>of() : dependsOn) {
                int equals = dependency.indexOf('=');
                String name = (equals < 0 ? dependency : dependency.substring(0, equals)).strip();
                String location = equals < 0
                        ? "classpath:db/" + name
                        : dependency.substring(equals + 1).strip();
                builder.dependsOn(name, location);
            }
            server().ifPresent(builder::server);
            builder.build().generate();
        } catch (PgdbmException | IllegalArgumentException | IllegalStateException e) {
            // The message says what failed, where, and what to do. Maven would append the messages of the causes
            // (Flyway's report, with its own command-line advice) to it: they go to the debug log (-X) instead.
            getLog().debug("pgdbm codegen failure of module " + module, e);
            throw new MojoFailureException("pgdbm codegen failed for module " + module + ": " + e.getMessage());
        } catch (java.io.IOException e) {
            throw new MojoExecutionException("pgdbm codegen could not read the project's class path", e);
        }
    }

    private java.util.Optional<PostgresServer> server() throws MojoFailureException {
        return switch (provider) {
            case "embedded" -> java.util.Optional.empty();
            case "url" -> {
                if (url == null || url.isBlank()) {
                    throw new MojoFailureException("provider=url needs <url> or -Dpgdbm.codegen.url=postgresql://…");
                }
                yield java.util.Optional.of(PostgresServers.fromUrl(url));
            }
            case "testcontainers" -> java.util.Optional.of(PostgresServers.testcontainers("postgres:18-alpine"));
            default ->
                throw new MojoFailureException("provider (" + provider + ") must be embedded, url or testcontainers");
        };
    }

    /** {@code src/main/resources/db/users} becomes {@code classpath:db/users}, the location at run time. */
    private String runtimeLocation(String location) {
        if (location.startsWith("classpath:")) {
            return location;
        }
        Path path = project.getBasedir().toPath().resolve(location).normalize();
        for (Resource resource : project.getResources()) {
            Path root = project.getBasedir()
                    .toPath()
                    .resolve(resource.getDirectory())
                    .normalize();
            if (path.startsWith(root)) {
                return "classpath:" + root.relativize(path).toString().replace(File.separatorChar, '/');
            }
        }
        return "classpath:db/" + module;
    }

    /**
     * Resource directories of the project and its compile dependencies, for {@code classpath:} locations
     * (resources are not copied yet). A dependency built in this reactor contributes its resource and output
     * directories (its jar may not exist: {@code generate-sources} alone); any other is resolved from the
     * repositories, and only when a location is a {@code classpath:} one.
     */
    private URLClassLoader projectClassLoader(List<String> locations) throws MojoExecutionException {
        List<URL> urls = new ArrayList<>();
        try {
            addResources(project, urls);
            if (dependsOn != null && !dependsOn.isEmpty()
                    || locations.stream().anyMatch(location -> location.startsWith("classpath:"))) {
                for (org.apache.maven.artifact.Artifact artifact : project.getArtifacts()) {
                    if (!artifact.getArtifactHandler().isAddedToClasspath()
                            || org.apache.maven.artifact.Artifact.SCOPE_TEST.equals(artifact.getScope())
                            || org.apache.maven.artifact.Artifact.SCOPE_RUNTIME.equals(artifact.getScope())) {
                        continue;
                    }
                    MavenProject sibling = reactorProject(artifact);
                    if (sibling != null) {
                        addResources(sibling, urls);
                        urls.add(new File(sibling.getBuild().getOutputDirectory())
                                .toURI()
                                .toURL());
                    } else {
                        urls.add(resolve(artifact).toURI().toURL());
                    }
                }
            }
        } catch (MalformedURLException e) {
            throw new MojoExecutionException("cannot build the project's class path", e);
        }
        return new URLClassLoader(urls.toArray(URL[]::new), getClass().getClassLoader());
    }

    private static void addResources(MavenProject owner, List<URL> urls) throws MalformedURLException {
        for (Resource resource : owner.getResources()) {
            urls.add(owner.getBasedir()
                    .toPath()
                    .resolve(resource.getDirectory())
                    .toUri()
                    .toURL());
        }
    }

    private MavenProject reactorProject(org.apache.maven.artifact.Artifact artifact) {
        for (MavenProject each : session.getProjects()) {
            if (each.getGroupId().equals(artifact.getGroupId())
                    && each.getArtifactId().equals(artifact.getArtifactId())
                    && each.getVersion().equals(artifact.getBaseVersion())) {
                return each;
            }
        }
        return null;
    }

    private File resolve(org.apache.maven.artifact.Artifact artifact) throws MojoExecutionException {
        if (artifact.getFile() != null && artifact.getFile().isFile()) {
            return artifact.getFile();
        }
        org.eclipse.aether.artifact.Artifact wanted = new org.eclipse.aether.artifact.DefaultArtifact(
                artifact.getGroupId(),
                artifact.getArtifactId(),
                artifact.getClassifier(),
                artifact.getArtifactHandler().getExtension(),
                artifact.getVersion());
        try {
            return repositorySystem
                    .resolveArtifact(
                            session.getRepositorySession(),
                            new org.eclipse.aether.resolution.ArtifactRequest(
                                    wanted, project.getRemoteProjectRepositories(), null))
                    .getArtifact()
                    .getFile();
        } catch (org.eclipse.aether.resolution.ArtifactResolutionException e) {
            throw new MojoExecutionException(
                    "pgdbm codegen could not resolve " + artifact + " for the classpath: migration locations of module "
                            + module + ": " + e.getMessage(),
                    e);
        }
    }
}
