package io.armguard.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures what one logger (and its children) writes, for tests that check log volume and shape.
 * Close to detach. Thread-safe.
 */
public final class LogCapture implements AutoCloseable {

  /**
   * One captured line.
   *
   * @param logger logger name
   * @param level level
   * @param message the formatted message
   * @param hasThrowable whether a stack trace would be printed
   */
  public record Line(String logger, Level level, String message, boolean hasThrowable) {}

  private final Logger logger;
  private final AbstractAppender appender;
  private final List<Line> lines = new CopyOnWriteArrayList<>();

  /** Starts capturing {@code loggerName}. */
  public LogCapture(String loggerName) {
    this.logger = (Logger) LogManager.getLogger(loggerName);
    this.appender =
        new AbstractAppender("capture-" + loggerName, null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            lines.add(
                new Line(
                    event.getLoggerName(),
                    event.getLevel(),
                    event.getMessage().getFormattedMessage(),
                    event.getThrown() != null));
          }
        };
    appender.start();
    logger.addAppender(appender);
  }

  public List<Line> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    logger.removeAppender(appender);
    appender.stop();
  }
}
