package io.pgdbm.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checksum of what a module was last generated from, in the output directory: present only after a
 * generation succeeded, so that a missing or different one means "generate".
 */
record StateFile(Path file) {

    /** The recorded checksum; null when there is none (never generated, failed, or interrupted). */
    String read() {
        try {
            return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    void write(String checksum) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, checksum + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
