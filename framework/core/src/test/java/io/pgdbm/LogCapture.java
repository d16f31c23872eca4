package io.pgdbm;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects every log event (all levels, all loggers) while open, to check what reaches the logs. */
public final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level previousLevel = root.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture() {
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.TRACE);
        for (Logger logger : root.getLoggerContext().getLoggerList()) {
            if (logger != root && logger.getLevel() != null) {
                logger.setLevel(Level.TRACE);
            }
        }
    }

    /** Every captured message, formatted, with its throwable's messages. */
    public List<String> messages() {
        return appender.list.stream().map(LogCapture::render).toList();
    }

    public List<String> messagesAt(Level level) {
        return appender.list.stream()
                .filter(e -> e.getLevel() == level)
                .map(LogCapture::render)
                .toList();
    }

    private static String render(ILoggingEvent event) {
        StringBuilder text =
                new StringBuilder(event.getLoggerName()).append(": ").append(event.getFormattedMessage());
        for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            text.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        }
        return text.toString();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(previousLevel);
    }
}
