package dev.outflow.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The WARN-and-above lines one class logs while this is open, as {@code "LEVEL message"}: for tests that prove a
 * user is told something (a warning names the table and the fix) without parsing log files.
 */
public final class CapturedLog implements AutoCloseable {

    private final Logger logger;
    private final AbstractAppender appender;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    private CapturedLog(Class<?> source) {
        logger = (Logger) LogManager.getLogger(source);
        appender = new AbstractAppender("captured-" + source.getSimpleName(), null, null, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
                    lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts capturing what {@code source}'s logger writes at WARN or above. */
    public static CapturedLog of(Class<?> source) {
        return new CapturedLog(source);
    }

    /** What was captured so far, oldest first. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public void clear() {
        lines.clear();
    }

    @Override
    public void close() {
        logger.removeAppender(appender);
        appender.stop();
    }
}
