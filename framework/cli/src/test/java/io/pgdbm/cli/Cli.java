package io.pgdbm.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs {@code pgdbm} in-process: a working directory, environment variables, typed answers. */
final class Cli {
    record Run(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private final Path directory;
    private final Map<String, String> env = new HashMap<>();
    private String answers;

    Cli(Path directory) {
        this.directory = directory;
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Lines typed at confirmation prompts (and a terminal to type them on). */
    Cli answering(String lines) {
        this.answers = lines;
        return this;
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Pgdbm pgdbm = new Pgdbm(
                env, new BufferedReader(new StringReader(answers == null ? "" : answers)), answers != null, directory);
        var line = Pgdbm.commandLine(pgdbm);
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
