package io.pgdbm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Reads the files directly inside a folder given as a filesystem path or a class-path location ({@code
 * classpath:db/users}), including one inside a jar (a library ships its migrations in its jar), inside Spring
 * Boot's nested jars, and inside jars written without directory entries. Used for migrations and fixtures.
 *
 * <p>Written here rather than borrowed: Flyway's scanner is internal and hands back Flyway-named resources
 * only, and Spring's resolver would pull Spring into the core.
 */
public final class ResourceFolder {
    public static final String CLASSPATH = "classpath:";

    private ResourceFolder() {}

    /** The folder is missing or cannot be read; the message says which and what to check. */
    public static final class FolderException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FolderException(String message) {
            super(message);
        }
    }

    /**
     * The contents of the files in {@code location} whose names {@code accept} takes, by file name, in name
     * order; the first of several class-path roots wins for a name.
     *
     * @param what what the files are, for messages ({@code "migrations"}, {@code "fixtures"})
     * @throws FolderException when the folder does not exist or cannot be read
     */
    public static Map<String, byte[]> read(
            String location, ClassLoader classLoader, Predicate<String> accept, String what) {
        if (location.startsWith(CLASSPATH)) {
            return readClasspath(location.substring(CLASSPATH.length()), classLoader, accept, location, what);
        }
        Path directory = Path.of(location);
        if (!Files.isDirectory(directory)) {
            throw new FolderException("the " + what + " directory " + directory.toAbsolutePath()
                    + (Files.exists(directory) ? " is not a directory" : " does not exist"));
        }
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try {
            readDirectory(directory, accept, contents);
        } catch (IOException e) {
            throw new FolderException("cannot read the " + what + " directory " + directory + ": " + e);
        }
        return contents;
    }

    private static Map<String, byte[]> readClasspath(
            String path, ClassLoader classLoader, Predicate<String> accept, String location, String what) {
        String folder = path.replaceAll("^/+", "").replaceAll("/+$", "");
        Map<String, byte[]> contents = new LinkedHashMap<>();
        boolean found = false;
        try {
            Enumeration<URL> roots = classLoader.getResources(folder);
            while (roots.hasMoreElements()) {
                found = true;
                URL root = roots.nextElement();
                if ("file".equals(root.getProtocol())) {
                    readDirectory(Path.of(root.toURI()), accept, contents);
                } else {
                    readJar(root, folder, accept, contents);
                }
            }
            if (!found) {
                found = scanJarsWithoutDirectoryEntries(folder + "/", classLoader, accept, contents);
            }
        } catch (IOException e) {
            throw new FolderException("cannot read " + what + " at " + location + ": " + e);
        } catch (URISyntaxException e) {
            throw new FolderException("bad class-path URL for " + location + ": " + e);
        }
        if (!found) {
            throw new FolderException("no " + what + " folder " + folder + " on the class path (" + location
                    + "); check the path, and that the jar holding it is a dependency");
        }
        return contents;
    }

    /**
     * Some jar builders write no directory entries, and then {@code ClassLoader.getResources(folder)} finds
     * nothing. Look through the jars on the class path (the loader chain's URLs and {@code java.class.path})
     * for entries under the folder.
     */
    private static boolean scanJarsWithoutDirectoryEntries(
            String prefix, ClassLoader classLoader, Predicate<String> accept, Map<String, byte[]> contents)
            throws IOException {
        Set<Path> jars = new LinkedHashSet<>();
        for (ClassLoader loader = classLoader; loader != null; loader = loader.getParent()) {
            if (loader instanceof java.net.URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    if ("file".equals(url.getProtocol()) && url.getPath().endsWith(".jar")) {
                        try {
                            jars.add(Path.of(url.toURI()));
                        } catch (URISyntaxException | IllegalArgumentException ignored) {
                            // not a local file
                        }
                    }
                }
            }
        }
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                jars.add(Path.of(entry));
            }
        }
        boolean found = false;
        for (Path jarPath : jars) {
            if (!Files.isRegularFile(jarPath)) {
                continue;
            }
            try (JarFile jar = new JarFile(jarPath.toFile())) {
                found |= readEntries(jar, prefix, accept, contents);
            }
        }
        return found;
    }

    private static void readDirectory(Path directory, Predicate<String> accept, Map<String, byte[]> contents)
            throws IOException {
        // a directory stream and a list rather than Files.list: at an application's start-up this runs before
        // much else, and the stream machinery's first use costs more than the listing
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path file : entries) {
                files.add(file);
            }
        }
        files.sort(null);
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (accept.test(name) && Files.isRegularFile(file)) {
                contents.putIfAbsent(name, Files.readAllBytes(file));
            }
        }
    }

    private static void readJar(URL root, String folder, Predicate<String> accept, Map<String, byte[]> contents)
            throws IOException {
        URLConnection connection = root.openConnection();
        if (!(connection instanceof JarURLConnection jarConnection)) {
            throw new IOException("cannot list " + root + ": not a directory or a jar");
        }
        jarConnection.setUseCaches(false);
        try (JarFile jar = jarConnection.getJarFile()) {
            readEntries(jar, folder + "/", accept, contents);
        }
    }

    /** Reads the accepted files directly under {@code prefix}; returns whether the folder has any entry. */
    private static boolean readEntries(
            JarFile jar, String prefix, Predicate<String> accept, Map<String, byte[]> contents) throws IOException {
        List<String> names = new ArrayList<>();
        boolean folderExists = false;
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
            JarEntry entry = entries.nextElement();
            String name = entry.getName();
            if (name.startsWith(prefix)) {
                folderExists = true;
                if (!entry.isDirectory() && name.indexOf('/', prefix.length()) < 0) {
                    names.add(name);
                }
            }
        }
        names.sort(Comparator.naturalOrder());
        for (String name : names) {
            String fileName = name.substring(prefix.length());
            if (accept.test(fileName) && !contents.containsKey(fileName)) {
                try (InputStream in = jar.getInputStream(jar.getJarEntry(name))) {
                    contents.put(fileName, in.readAllBytes());
                }
            }
        }
        return folderExists;
    }
}
