package io.pgdbm.migrations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes migration files into a test's folder. */
final class MigrationFolder {
    private final Path directory;

    MigrationFolder(Path directory) {
        this.directory = directory;
    }

    static MigrationFolder in(Path directory) {
        return new MigrationFolder(directory);
    }

    MigrationFolder file(String name, String sql) {
        try {
            Files.writeString(directory.resolve(name), sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    MigrationFolder delete(String name) {
        try {
            Files.delete(directory.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Path path() {
        return directory;
    }
}
