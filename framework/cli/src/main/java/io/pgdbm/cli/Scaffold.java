package io.pgdbm.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The files of {@code generate library} and {@code generate config}. */
final class Scaffold {
    private final String name;
    private final String className;
    private final String packageName;
    private final String groupId;
    private final Properties versions;

    Scaffold(String name, String packageName, String groupId, Properties versions) {
        this.name = name;
        this.className = className(name);
        this.packageName = packageName;
        this.groupId = groupId;
        this.versions = versions;
    }

    /** A module's class-name stem: {@code order_items} gives {@code OrderItems}. */
    static String className(String module) {
        StringBuilder pascal = new StringBuilder();
        for (String part : module.split("_")) {
            if (!part.isEmpty()) {
                pascal.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return pascal.toString();
    }

    /** Path (relative to the library's directory) to content. */
    Map<String, String> files(boolean withApi) {
        String javaDir = packageName.replace('.', '/');
        Map<String, String> files = new LinkedHashMap<>();
        files.put("pom.xml", fill(template("library/pom.xml")));
        files.put("README.md", fill(template("library/README.md")));
        files.put(".gitignore", "target/\n.pgdbm/\n");
        files.put("pgdbm.toml", fill(template("library/pgdbm.toml")));
        files.put("src/main/resources/db/" + name + "/001_initial.sql", fill(template("library/001_initial.sql")));
        files.put("src/main/java/" + javaDir + "/Item.java", fill(template("library/Item.java")));
        files.put("src/main/java/" + javaDir + "/" + className + ".java", fill(template("library/Module.java")));
        files.put(
                "src/test/java/" + javaDir + "/" + className + "Test.java", fill(template("library/ModuleTest.java")));
        files.put("src/test/resources/simplelogger.properties", "org.slf4j.simpleLogger.defaultLogLevel=warn\n");
        if (withApi) {
            files.put("src/main/java/" + javaDir + "/" + className + "Api.java", fill(template("library/Api.java")));
            files.put(
                    "src/test/java/" + javaDir + "/" + className + "ApiTest.java",
                    fill(template("library/ApiTest.java")));
        }
        // the Maven Wrapper (as Maven's wrapper plugin writes it): the library builds where only a JDK is
        files.put("mvnw", text("wrapper/mvnw"));
        files.put("mvnw.cmd", text("wrapper/mvnw.cmd"));
        files.put(".mvn/wrapper/maven-wrapper.properties", text("wrapper/maven-wrapper.properties"));
        return files;
    }

    private String fill(String template) {
        return template.replace("@name@", name)
                .replace("@Name@", className)
                .replace("@package@", packageName)
                .replace("@groupId@", groupId)
                .replace("@pgdbm.version@", versions.getProperty("pgdbm"))
                .replace("@junit.version@", versions.getProperty("junit"))
                .replace("@assertj.version@", versions.getProperty("assertj"))
                .replace("@slf4j.version@", versions.getProperty("slf4j"))
                .replace("@compiler.version@", versions.getProperty("compiler-plugin"))
                .replace("@surefire.version@", versions.getProperty("surefire-plugin"));
    }

    static String config(String project) {
        return template("config/pgdbm.toml").replace("@project@", project);
    }

    /** A template of {@code src/main/resources/io/pgdbm/cli/scaffold/}. */
    static String template(String name) {
        return text("scaffold/" + name);
    }

    /** A resource beside this class, as UTF-8 text. */
    static String text(String resource) {
        try (var in = Scaffold.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the CLI's resource " + resource + " is missing from its jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
