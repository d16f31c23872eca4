package io.pgdbm.codegen;

import io.pgdbm.postgres.PostgresServer;
import io.pgdbm.postgres.PostgresServers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded PostgreSQL that code generation runs on when no server is given: one per JVM. */
final class CodegenServer {
    private static final Logger LOG = LoggerFactory.getLogger(CodegenServer.class);
    private static PostgresServer embedded;
    private static Thread embeddedShutdownHook;

    private CodegenServer() {}

    /**
     * One embedded server per JVM, shared by every module a build generates. Stopped by {@link
     * #stop()}, or when the JVM exits if nobody did.
     */
    static synchronized PostgresServer shared() {
        if (embedded == null) {
            PostgresServer server = PostgresServers.embedded().fastAndUnsafe().start();
            // What stopping needs, loaded now: a build tool may close this plugin's class loader before a
            // JVM shutdown hook runs, and the hook would then fail to load it and leave the data directory.
            preload(
                    "org.apache.commons.io.FileUtils",
                    "org.apache.commons.io.file.PathUtils",
                    "org.apache.commons.io.file.DeletingPathVisitor",
                    "org.apache.commons.io.input.Tailer");
            embeddedShutdownHook = new Thread(server::close, "pgdbm-codegen-postgres");
            Runtime.getRuntime().addShutdownHook(embeddedShutdownHook);
            embedded = server;
        }
        return embedded;
    }

    private static void preload(String... classes) {
        for (String name : classes) {
            try {
                Class.forName(name, true, CodegenServer.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.debug("Could not preload {}: {}", name, e.toString());
            }
        }
    }

    /**
     * Stops the shared embedded server, if one runs. Build tools call this after their last generation: a JVM
     * shutdown hook may run after the tool has unloaded the classes the server needs to stop.
     */
    static synchronized void stop() {
        if (embedded != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(embeddedShutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway
            }
            embedded.close();
            embedded = null;
            embeddedShutdownHook = null;
        }
    }
}
