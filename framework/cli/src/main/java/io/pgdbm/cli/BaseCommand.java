package io.pgdbm.cli;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.SharedPool;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the root's options, output streams, opening a pool. */
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    Pgdbm root() {
        return (Pgdbm) spec.root().userObject();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A progress or status line, flushed at once so long work shows where it is. */
    void say(String line) {
        out().println(line);
        out().flush();
    }

    /** Opens a pool; the message of a failure names the server (password masked) and what to check. */
    static SharedPool open(DatabaseConfig config) {
        return SharedPool.create(config);
    }

    @Override
    public final Integer call() throws Exception {
        run();
        return ExitCodes.OK;
    }

    abstract void run() throws Exception;
}
