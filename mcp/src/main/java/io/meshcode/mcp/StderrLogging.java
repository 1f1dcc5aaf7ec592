package io.meshcode.mcp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.meshcode.logging.LogSettings;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logback for the clients, set up in code: one line per event on stderr (stdout is the MCP
 * protocol and the CLI's output), in the services' text or JSON format (libs/core's
 * logback-text.xml and logback-json.xml, which the tests hold this to), the request id as the MDC
 * field {@code requestId}. Logback runs a Configurator found through ServiceLoader before looking
 * for any logback.xml, so a client neither parses XML nor searches its class path at start-up,
 * and prints no status lines. No {@code @ConfiguratorRank}: it is the only one, and reading the
 * annotation would cost a reflective proxy at start-up.
 */
public final class StderrLogging extends ContextAwareBase implements Configurator {

  /** A client's levels unless MESHCODE_LOG_LEVEL says otherwise: libraries at WARN, MeshCode's own lines at INFO (what an editor's MCP log panel should show). */
  private static final Map<String, Level> DEFAULTS = Map.of(Logger.ROOT_LOGGER_NAME, Level.WARN, "io.meshcode", Level.INFO);
  private static final LogSettings DEFAULT = new LogSettings(null, Map.of(), false);

  /** The settings Logback runs with now. */
  private static volatile LogSettings applied;

  /** Used by Logback's ServiceLoader when the first logger is asked for: the environment's settings, or the defaults if one is bad. */
  public StderrLogging() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    LogSettings setup;
    try {
      setup = LogSettings.from(System.getenv());
    } catch (LogSettings.Refused e) {
      // configure(Map) refuses it in one line; a process that never calls it logs as by default.
      setup = DEFAULT;
    }
    apply(context, setup);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Applies {@code env}'s settings before a client does its work.
   *
   * @throws LogSettings.Refused naming the variable, if a setting is bad
   */
  public static void configure(Map<String, String> env) {
    LogSettings setup = LogSettings.from(env);
    // Asking for the factory starts Logback, which usually applies these same settings.
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context && !setup.equals(applied)) {
      context.reset();
      apply(context, setup);
    }
  }

  private static void apply(LoggerContext context, LogSettings setup) {
    applied = setup;
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("stderr");
    stderr.setTarget("System.err");
    stderr.setEncoder(setup.json() ? json(context) : text(context));
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(stderr);
    setup.apply(context, DEFAULTS);
  }

  private static Encoder<ILoggingEvent> text(LoggerContext context) {
    TextLayout layout = new TextLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    return encoder;
  }

  /** libs/core's logback-json.xml: one JSON object per line, the formatted message, the MDC. */
  private static Encoder<ILoggingEvent> json(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    return encoder;
  }
}
