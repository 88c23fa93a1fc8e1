package io.keepcluster.node.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback in code, so the format can follow {@code KEEP_LOG_FORMAT} at start and the
 * config's {@code logFormat} after it is read (a logback.xml cannot see the config folder).
 *
 * <ul>
 *   <li>text: {@code 2026-11-30T03:48:03.123Z INFO logger - event=... key=value}, stack traces on
 *       the following lines;
 *   <li>json: one object per line: {@code timestamp}, {@code level}, {@code logger},
 *       {@code thread}, {@code message}, every {@code key=value} of the message as a field, and
 *       {@code stack_trace} as one string.
 * </ul>
 * Both go to the process's standard error. The audit logger ({@link Audit#LOGGER}) has its own
 * appenders: the same stream (json lines carry {@code "audit":true}) and, when configured, an
 * audit file in the same format, appended to.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

  static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %level %logger - %msg%n";

  /** Quiet by default; each entry is a logger and the lowest level it prints. */
  private static final Map<String, Level> LEVELS = Map.of(
      org.slf4j.Logger.ROOT_LOGGER_NAME, Level.INFO,
      "com.hazelcast", Level.WARN,
      "io.netty", Level.WARN,
      // Several HTTP servers share Vert.x's gauges; Micrometer warns once per duplicate registration.
      "io.micrometer.core.instrument.MeterRegistry", Level.ERROR,
      Audit.LOGGER, Level.INFO);

  private static LogSettings current;
  private static final Map<String, List<OutputStreamAppender<ILoggingEvent>>> installed = new HashMap<>();

  /** Called by Logback at the first logger lookup: only the environment is known then. */
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    LogSettings settings;
    try {
      install(context, LogSettings.fromEnvironment(System.getenv()));
    } catch (IllegalArgumentException e) {
      // The launcher checks the same variables and stops with this reason; log as text until then.
      install(context, LogSettings.DEFAULT);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Switches the running process to {@code settings} (after the config folder is read). */
  public static void apply(LogSettings settings) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      install(context, settings);
    }
  }

  /** The settings in force. */
  public static synchronized Optional<LogSettings> current() {
    return Optional.ofNullable(current);
  }

  private static synchronized void install(LoggerContext context, LogSettings settings) {
    if (settings.equals(current)) {
      return;
    }
    LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger audit = context.getLogger(Audit.LOGGER);
    audit.setAdditive(false);

    List<OutputStreamAppender<ILoggingEvent>> rootAppenders = List.of(
        stderr(context, "log", encoder(context, settings.format(), false)));
    List<OutputStreamAppender<ILoggingEvent>> auditAppenders = new ArrayList<>();
    auditAppenders.add(stderr(context, "audit", encoder(context, settings.format(), true)));
    if (settings.auditFile().isPresent()) {
      try {
        auditAppenders.add(file(context, settings.auditFile().get(), encoder(context, settings.format(), true)));
      } catch (IllegalArgumentException e) {
        rootAppenders.forEach(OutputStreamAppender::stop);
        auditAppenders.forEach(OutputStreamAppender::stop);
        throw e;
      }
    }
    // New appenders first, old ones detached after: no line is lost while switching.
    swap(root, "root", rootAppenders);
    swap(audit, "audit", auditAppenders);
    current = settings;
  }

  private static void swap(Logger logger, String key, List<OutputStreamAppender<ILoggingEvent>> next) {
    next.forEach(logger::addAppender);
    List<OutputStreamAppender<ILoggingEvent>> previous = installed.put(key, next);
    if (previous != null) {
      for (OutputStreamAppender<ILoggingEvent> appender : previous) {
        logger.detachAppender(appender);
        appender.stop();
      }
    } else {
      // The first install: drop whatever a default configuration attached.
      logger.iteratorForAppenders().forEachRemaining(appender -> {
        if (!next.contains(appender)) {
          logger.detachAppender(appender);
          appender.stop();
        }
      });
    }
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, LogFormat format, boolean audit) {
    if (format == LogFormat.TEXT) {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setContext(context);
      text.setPattern(TEXT_PATTERN);
      text.start();
      return text;
    }
    LogstashEncoder json = new LogstashEncoder();
    json.setContext(context);
    json.getFieldNames().setTimestamp("timestamp");
    json.getFieldNames().setLogger("logger");
    json.getFieldNames().setThread("thread");
    json.getFieldNames().setVersion("[ignore]");
    json.getFieldNames().setLevelValue("[ignore]");
    json.setTimeZone("UTC");
    if (audit) {
      json.setCustomFields("{\"audit\":true}");
    }
    json.addProvider(new KeyValueFieldsJsonProvider());
    json.start();
    return json;
  }

  /**
   * Standard error as it is at each line, not as it was at start: a test (or an embedding
   * application) that replaces {@code System.err} still sees the log.
   */
  private static OutputStreamAppender<ILoggingEvent> stderr(LoggerContext context, String name,
      Encoder<ILoggingEvent> encoder) {
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName(name);
    appender.setEncoder(encoder);
    appender.setImmediateFlush(true);
    appender.setOutputStream(new OutputStream() {
      @Override
      public void write(int b) {
        System.err.write(b);
      }

      @Override
      public void write(byte[] bytes, int off, int len) {
        System.err.write(bytes, off, len);
      }

      @Override
      public void flush() {
        System.err.flush();
      }
    });
    appender.start();
    return appender;
  }

  private static OutputStreamAppender<ILoggingEvent> file(LoggerContext context, Path file,
      Encoder<ILoggingEvent> encoder) {
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("audit-file");
    appender.setFile(file.toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    if (!appender.isStarted()) {
      throw new IllegalArgumentException("cannot open the audit file " + file
          + " (auditFile / KEEP_AUDIT_FILE) for appending");
    }
    return appender;
  }
}
