package io.pgdbm.internal.migrations;

import io.pgdbm.IdentifierException;
import io.pgdbm.internal.ResourceFolder;
import io.pgdbm.internal.SqlTemplate;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Loads a module's migration files from a directory or a class-path location ({@code classpath:db/users}),
 * including one inside a jar (a library ships its migrations in its jar) and inside Spring Boot's nested
 * jars. Hidden files and files not ending in {@code .sql} are ignored.
 *
 * <p>The folder is read by {@link ResourceFolder}.
 */
public final class MigrationSource {
    private static final Pattern NO_TRANSACTION = Pattern.compile("(?m)^[ \\t]*--[ \\t]*pgdbm:no-transaction[ \\t]*$");

    private MigrationSource() {}

    /** Thrown for a problem with the files themselves; the caller adds module context. */
    public static final class InvalidMigrationsException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String file;
        private final Integer line;

        InvalidMigrationsException(String message, String file, Integer line) {
            super(message);
            this.file = file;
            this.line = line;
        }

        public String file() {
            return file;
        }

        public Integer line() {
            return line;
        }
    }

    /** Loads the migrations at a {@code classpath:} location or a filesystem path, sorted for applying. */
    public static List<MigrationFile> load(String location, ClassLoader classLoader) {
        if (location == null || location.isBlank()) {
            throw new InvalidMigrationsException("the migrations location is empty", null, null);
        }
        try {
            return validate(build(
                    ResourceFolder.read(location, classLoader, MigrationSource::isCandidate, "migrations"),
                    location.startsWith(ResourceFolder.CLASSPATH)
                            ? location
                            : Path.of(location).toAbsolutePath().toString()));
        } catch (ResourceFolder.FolderException e) {
            throw new InvalidMigrationsException(e.getMessage(), null, null);
        }
    }

    /** Loads the migrations in {@code directory}, sorted for applying. */
    public static List<MigrationFile> load(Path directory) {
        return load(directory.toString(), MigrationSource.class.getClassLoader());
    }

    private static boolean isCandidate(String name) {
        return !name.startsWith(".") && name.endsWith(".sql") && !isDown(name);
    }

    /** The suffix of a pgdbm down file: {@code 003_add_x.down.sql} undoes {@code 003_add_x.sql}. */
    public static final String DOWN_SUFFIX = ".down.sql";

    private static final Pattern FLYWAY_UNDO = Pattern.compile("U(\\d+(?:[._]\\d+)*__.+\\.sql)");

    /** A down file: pgdbm's {@code NNN_name.down.sql}, or Flyway's undo file {@code U1__name.sql}. */
    private static boolean isDown(String name) {
        return !name.startsWith(".")
                && (name.endsWith(DOWN_SUFFIX) || FLYWAY_UNDO.matcher(name).matches());
    }

    /** The migration file a down file undoes: {@code 003_x.down.sql} → {@code 003_x.sql}, {@code U3__x.sql} → {@code V3__x.sql}. */
    private static String upFileOf(String downName) {
        if (downName.endsWith(DOWN_SUFFIX)) {
            return downName.substring(0, downName.length() - DOWN_SUFFIX.length()) + ".sql";
        }
        return "V" + downName.substring(1);
    }

    /** One statement of a file's executable SQL, with the line it starts on. */
    public record LocatedStatement(String sql, int line) {}

    /** {@code sql} split into its statements (at top-level semicolons), each with the line it starts on. */
    public static List<LocatedStatement> statements(String sql) {
        List<LocatedStatement> statements = new ArrayList<>();
        for (MigrationStatements.Statement statement : MigrationStatements.split(sql)) {
            String text = sql.substring(statement.start(), statement.end());
            if (!text.strip().equals(";")) {
                statements.add(new LocatedStatement(text, statement.line()));
            }
        }
        return statements;
    }

    /**
     * The down files beside the migrations at {@code location} (a directory or {@code classpath:…}), by the
     * name of the migration each undoes; each read, checked and rendered as a migration is. A location
     * without any gives an empty map.
     */
    public static Map<String, MigrationFile> loadDown(String location, ClassLoader classLoader) {
        Map<String, byte[]> contents;
        try {
            contents = ResourceFolder.read(location, classLoader, MigrationSource::isDown, "migrations");
        } catch (ResourceFolder.FolderException e) {
            throw new InvalidMigrationsException(e.getMessage(), null, null);
        }
        Map<String, MigrationFile> down = new LinkedHashMap<>();
        String where = location.startsWith(ResourceFolder.CLASSPATH)
                ? location
                : Path.of(location).toAbsolutePath().toString();
        for (Map.Entry<String, byte[]> entry : contents.entrySet()) {
            String downName = entry.getKey();
            down.put(
                    upFileOf(downName),
                    build(Map.of(downName, entry.getValue()), where, MigrationSource::upFileOf)
                            .get(0));
        }
        return down;
    }

    private static List<MigrationFile> build(Map<String, byte[]> contents, String location) {
        return build(contents, location, name -> name);
    }

    /** As above; a file's version and description are read from {@code parseAs(its name)}. */
    private static List<MigrationFile> build(
            Map<String, byte[]> contents, String location, java.util.function.UnaryOperator<String> parseAs) {
        List<MigrationFile> files = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : contents.entrySet()) {
            String name = entry.getKey();
            MigrationNames.Parsed parsed;
            try {
                parsed = MigrationNames.parse(parseAs.apply(name));
            } catch (IllegalArgumentException e) {
                throw new InvalidMigrationsException(e.getMessage(), name, null);
            }
            String text = decode(entry.getValue(), name);
            if (text.isBlank()) {
                throw new InvalidMigrationsException(name + " is empty: a migration must contain SQL", name, null);
            }
            checkTemplates(text, name);
            boolean transactional = !text.contains("pgdbm:no-transaction")
                    || !NO_TRANSACTION.matcher(text).find();
            // One text whatever the line-ending style (as the checksum treats it): CRLF and CR become LF, which is
            // also what Flyway counts lines by.
            String lf = text.replace("\r\n", "\n").replace('\r', '\n');
            files.add(new MigrationFile(
                    name,
                    parsed.version(),
                    parsed.flywayVersion(),
                    parsed.description(),
                    parsed.named(),
                    text,
                    transactional ? MigrationStatements.executable(lf, name) : lf,
                    checksum(text),
                    legacyChecksum(text),
                    transactional,
                    location + "/" + name));
        }
        return files;
    }

    private static String decode(byte[] bytes, String name) {
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new InvalidMigrationsException(name + " is not valid UTF-8 text", name, null);
        }
    }

    /** Rejects bad names in templates now, with file and line, rather than when a schema is migrated. */
    private static void checkTemplates(String text, String name) {
        // only the lines with a template; lines counted as the checksum and Flyway count them (CRLF, CR, LF)
        int line = 1;
        int counted = 0;
        for (int open = text.indexOf("{{"); open >= 0; ) {
            int lineStart = counted;
            for (int i = counted; i < open; i++) {
                char c = text.charAt(i);
                if (c == '\n' || c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
                    line++;
                    lineStart = i + 1;
                }
            }
            int lineEnd = open;
            while (lineEnd < text.length() && text.charAt(lineEnd) != '\n' && text.charAt(lineEnd) != '\r') {
                lineEnd++;
            }
            try {
                SqlTemplate.render(text.substring(lineStart, lineEnd), "schema");
            } catch (IdentifierException e) {
                throw new InvalidMigrationsException(name + " line " + line + ": " + e.getMessage(), name, line);
            }
            counted = lineEnd; // line breaks before here are counted
            open = text.indexOf("{{", lineEnd);
        }
    }

    /** Sorts, and rejects version 0 and two files with one version. */
    private static List<MigrationFile> validate(List<MigrationFile> files) {
        Map<MigrationVersion, MigrationFile> byVersion = new LinkedHashMap<>();
        Map<String, MigrationFile> byDescription = new LinkedHashMap<>();
        for (MigrationFile file : files) {
            if (file.repeatable()) {
                MigrationFile other =
                        byDescription.putIfAbsent(file.description().toLowerCase(java.util.Locale.ROOT), file);
                if (other != null) {
                    throw new InvalidMigrationsException(
                            "two repeatable migrations share the description '" + file.description() + "': "
                                    + other.fileName() + " and " + file.fileName(),
                            file.fileName(),
                            null);
                }
                continue;
            }
            MigrationVersion version = file.migrationVersion();
            if (version.compareTo(VERSION_ZERO) == 0) {
                throw new InvalidMigrationsException(
                        file.fileName() + " has version 0, which pgdbm reserves for the"
                                + " baseline of a schema shared with other modules: number migrations from 1",
                        file.fileName(),
                        null);
            }
            MigrationFile other = byVersion.putIfAbsent(version, file);
            if (other != null) {
                throw new InvalidMigrationsException(
                        "two migrations have version " + file.version() + ": " + other.fileName() + " and "
                                + file.fileName() + "; renumber one of them",
                        file.fileName(),
                        null);
            }
        }
        List<MigrationFile> sorted = new ArrayList<>(files);
        // Flyway's order: versions numerically, then repeatable and named files by description (a named
        // file's description is its name, so they apply in name order, as pgdbm applies them).
        sorted.sort(MigrationSource::applyOrder);
        return List.copyOf(sorted);
    }

    private static final MigrationVersion VERSION_ZERO = MigrationVersion.fromVersion("0");

    private static int applyOrder(MigrationFile a, MigrationFile b) {
        if (a.repeatable() != b.repeatable()) {
            return a.repeatable() ? 1 : -1;
        }
        if (!a.repeatable()) {
            int byVersion = a.migrationVersion().compareTo(b.migrationVersion());
            if (byVersion != 0) {
                return byVersion;
            }
        }
        return a.description().compareTo(b.description());
    }

    /**
     * CRC32 over the UTF-8 text with every line ending made {@code \n}: a file whose only change is CRLF
     * versus LF keeps its checksum, while a change of meaning — joining a {@code --} comment onto the next
     * line comments that line out — changes it.
     */
    static int checksum(String text) {
        CRC32 crc = new CRC32();
        byte[] newline = {'\n'};
        int start = 0;
        int length = text.length();
        while (start <= length) {
            int end = start;
            while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            crc.update(text.substring(start, end).getBytes(StandardCharsets.UTF_8));
            if (end >= length) {
                break;
            }
            crc.update(newline);
            if (text.charAt(end) == '\r' && end + 1 < length && text.charAt(end + 1) == '\n') {
                end++;
            }
            start = end + 1;
        }
        return (int) crc.getValue();
    }

    /**
     * The checksum releases before 0.2 recorded: CRC32 over each line without its line ending, so line
     * breaks did not count. A history row with it is accepted once for an unchanged file and re-recorded.
     */
    static int legacyChecksum(String text) {
        CRC32 crc = new CRC32();
        int start = 0;
        int length = text.length();
        while (start < length) {
            int end = start;
            while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            crc.update(text.substring(start, end).getBytes(StandardCharsets.UTF_8));
            if (end < length && text.charAt(end) == '\r' && end + 1 < length && text.charAt(end + 1) == '\n') {
                end++;
            }
            start = end + 1;
        }
        return (int) crc.getValue();
    }
}
