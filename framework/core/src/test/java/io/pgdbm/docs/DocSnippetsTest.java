package io.pgdbm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the code in README.md and docs/ equal to tested sources. A code block preceded by {@code <!--
 * snippet: path/to/Source.java#tag -->} must hold exactly the lines between the markers {@code tag::tag[]}
 * and {@code end::tag[]} (in a Java, XML or SQL comment) in that file, several regions with one tag joined,
 * de-indented, and — from a Java source — preceded by the imports it uses. Run with
 * {@code -Dpgdbm.docs.update=true} to rewrite the docs from the sources.
 */
class DocSnippetsTest {
    private static final Pattern MARKER =
            Pattern.compile("<!-- snippet: ([^#\\s]+)#([\\w-]+) -->\\n```(\\w*)\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everySnippetMatchesItsSource() throws IOException {
        Path root = repositoryRoot();
        boolean update = Boolean.getBoolean("pgdbm.docs.update");
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (Path doc : documents(root)) {
            String text = Files.readString(doc);
            Matcher m = MARKER.matcher(text);
            StringBuilder rewritten = new StringBuilder();
            while (m.find()) {
                checked++;
                String expected = filled(
                        withImports(root.resolve(m.group(1)), region(root.resolve(m.group(1)), m.group(2))),
                        buildValues(root));
                if (!expected.equals(m.group(4))) {
                    mismatches.add(root.relativize(doc) + ": snippet " + m.group(1) + "#" + m.group(2)
                            + " differs from its source; expected:\n" + expected);
                }
                m.appendReplacement(
                        rewritten,
                        Matcher.quoteReplacement("<!-- snippet: " + m.group(1) + "#" + m.group(2) + " -->\n```"
                                + m.group(3) + "\n" + expected + "```"));
            }
            m.appendTail(rewritten);
            if (update && !rewritten.toString().equals(text)) {
                Files.writeString(doc, rewritten.toString());
            }
        }
        assertThat(checked).as("snippets found in README.md and docs/").isPositive();
        if (!update) {
            assertThat(mismatches)
                    .as("run with -Dpgdbm.docs.update=true to refresh the docs")
                    .isEmpty();
        }
    }

    private static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.]+)\\.(\\w+);$");

    /**
     * A Java region with the imports it needs in front: those of its source file whose simple name (or, for a
     * static import, member name) the region uses. A reader can copy a snippet whole.
     */
    static String withImports(Path source, String region) throws IOException {
        if (!source.toString().endsWith(".java")) {
            return region;
        }
        List<String> imports = new ArrayList<>();
        for (String line : Files.readAllLines(source)) {
            Matcher m = IMPORT.matcher(line.strip());
            if (m.matches()
                    && !region.contains(line.strip())
                    && Pattern.compile("(?<![\\w.])" + Pattern.quote(m.group(3)) + "\\b")
                            .matcher(region)
                            .find()) {
                imports.add(line.strip());
            }
        }
        return imports.isEmpty() ? region : String.join("\n", imports) + "\n\n" + region;
    }

    private static final Pattern TOKEN = Pattern.compile("@([\\w.-]+)@");

    /**
     * A region as a reader needs it: the {@code @project.version@}-style tokens that Maven's invoker fills in
     * an integration test's pom filled with this build's values, so that a doc shows a real version.
     */
    static String filled(String region, java.util.Map<String, String> values) {
        Matcher m = TOKEN.matcher(region);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The root pom's version (as project.version) and properties. */
    static java.util.Map<String, String> buildValues(Path root) throws IOException {
        String pom = Files.readString(root.resolve("pom.xml"));
        java.util.Map<String, String> values = new java.util.HashMap<>();
        Matcher version = Pattern.compile("<artifactId>pgdbm-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        if (version.find()) {
            values.put("project.version", version.group(1));
        }
        int start = pom.indexOf("<properties>");
        int end = pom.indexOf("</properties>");
        if (start >= 0 && end > start) {
            Matcher property = Pattern.compile("<([\\w.-]+)>([^<$]*)</\\1>").matcher(pom.substring(start, end));
            while (property.find()) {
                values.put(property.group(1), property.group(2).strip());
            }
        }
        return values;
    }

    static String region(Path source, String tag) throws IOException {
        List<String> lines = Files.readAllLines(source);
        List<String> picked = new ArrayList<>();
        boolean inside = false;
        boolean found = false;
        for (String line : lines) {
            // Markers in Java (// tag::x[]), XML (<!-- tag::x[] -->) and SQL (-- tag::x[]) comments.
            if (line.contains("tag::" + tag + "[]")) {
                inside = true;
                found = true;
            } else if (line.contains("end::" + tag + "[]")) {
                inside = false;
            } else if (inside && !line.contains("tag::") && !line.contains("end::")) {
                picked.add(line);
            }
        }
        assertThat(found).as("tag %s in %s", tag, source).isTrue();
        int indent = picked.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : picked) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }

    private static List<Path> documents(Path root) throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(root.resolve("README.md"));
        Path dir = root.resolve("docs");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
            }
        }
        return docs;
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve(".mvn"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (the folder holding .mvn)");
        }
        return dir;
    }
}
