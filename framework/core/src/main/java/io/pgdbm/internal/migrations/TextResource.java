package io.pgdbm.internal.migrations;

import java.io.Reader;
import java.io.StringReader;
import org.flywaydb.core.api.resource.LoadableResource;

/** A Flyway resource whose text is already in memory (a rendered migration, a script config). */
final class TextResource extends LoadableResource {
    private final String name;
    private final String text;
    private final String location;

    TextResource(String name, String text, String location) {
        this.name = name;
        this.text = text;
        this.location = location;
    }

    @Override
    public Reader read() {
        return new StringReader(text);
    }

    @Override
    public String getAbsolutePath() {
        return location;
    }

    @Override
    public String getAbsolutePathOnDisk() {
        return location;
    }

    @Override
    public String getFilename() {
        return name;
    }

    @Override
    public String getRelativePath() {
        return name;
    }
}
