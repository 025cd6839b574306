package io.personalize.job.harness;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures what one class logs (at INFO and above) while open: a log4j2 appender added to the
 * logger of that class, which the tests read instead of the console.
 */
final class LogCapture implements AutoCloseable {
  /** One captured line: its level and formatted message. */
  record Line(Level level, String message) {
    @Override
    public String toString() {
      return level + " " + message;
    }
  }

  private final String loggerName;
  private final LoggerContext context;
  private final AbstractAppender appender;
  private final List<Line> lines = new CopyOnWriteArrayList<>();

  private LogCapture(String loggerName) {
    this.loggerName = loggerName;
    this.context = LoggerContext.getContext(false);
    this.appender =
        new AbstractAppender("capture-" + loggerName, null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            lines.add(new Line(event.getLevel(), event.getMessage().getFormattedMessage()));
          }
        };
    appender.start();
    Configuration config = context.getConfiguration();
    LoggerConfig logger =
        LoggerConfig.newBuilder()
            .withLoggerName(loggerName)
            .withLevel(Level.INFO)
            .withAdditivity(false)
            .withConfig(config)
            .build();
    logger.addAppender(appender, null, null);
    config.addLogger(loggerName, logger);
    context.updateLoggers();
  }

  /** Starts capturing what {@code type}'s logger logs. */
  static LogCapture of(Class<?> type) {
    return new LogCapture(type.getName());
  }

  /** Starts capturing what the logger {@code loggerName} logs. */
  static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  /** Every line captured so far. */
  List<Line> lines() {
    return List.copyOf(lines);
  }

  /** The lines captured so far at {@code level}. */
  List<String> at(Level level) {
    return lines.stream().filter(l -> l.level() == level).map(Line::message).toList();
  }

  void clear() {
    lines.clear();
  }

  @Override
  public void close() {
    Configuration config = context.getConfiguration();
    config.removeLogger(loggerName);
    context.updateLoggers();
    appender.stop();
  }
}
