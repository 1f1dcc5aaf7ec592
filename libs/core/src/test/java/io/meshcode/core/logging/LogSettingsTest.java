package io.meshcode.core.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.meshcode.core.config.ConfigException;
import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.http.RequestIdHandler;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

@DisplayName("Logging settings and the log's lines")
class LogSettingsTest {

  private static LogSettings settings(Map<String, String> env) {
    return LogSettings.from(new EnvConfig(env), "info");
  }

  @Test
  @DisplayName("the level, per-package levels and the format come from the environment")
  void fromEnvironment() {
    LogSettings settings = settings(Map.of("MESHCODE_LOG_LEVEL", "WARN",
        "MESHCODE_LOG_LEVELS", " io.meshcode.bus=debug, org.apache.kafka=info", "MESHCODE_LOG_FORMAT", "json"));
    assertThat(settings.level()).isEqualTo(Level.WARN);
    assertThat(settings.packages()).containsExactlyInAnyOrderEntriesOf(Map.of("io.meshcode.bus", Level.DEBUG, "org.apache.kafka", Level.INFO));
    assertThat(settings.format()).isEqualTo("json");
    assertThat(settings(Map.of())).isEqualTo(new LogSettings(Level.INFO, Map.of(), "text"));
  }

  @Test
  @DisplayName("a bad level, package list or format is refused in one line naming the variable")
  void refusesBadValues() {
    assertThatThrownBy(() -> settings(Map.of("MESHCODE_LOG_LEVEL", "loud"))).isInstanceOf(ConfigException.class)
        .hasMessage("MESHCODE_LOG_LEVEL: expected one of trace, debug, info, warn, error, off, got 'loud'");
    assertThatThrownBy(() -> settings(Map.of("MESHCODE_LOG_LEVELS", "io.meshcode.bus"))).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("MESHCODE_LOG_LEVELS: expected comma-separated package=level pairs");
    assertThatThrownBy(() -> settings(Map.of("MESHCODE_LOG_LEVELS", "io.meshcode.bus=debug,,x=info"))).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("MESHCODE_LOG_LEVELS:");
    assertThatThrownBy(() -> settings(Map.of("MESHCODE_LOG_LEVELS", "io.meshcode..bus=debug"))).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> settings(Map.of("MESHCODE_LOG_LEVELS", "io.meshcode.bus=chatty"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("got 'chatty'");
    assertThatThrownBy(() -> settings(Map.of("MESHCODE_LOG_FORMAT", "xml"))).isInstanceOf(ConfigException.class)
        .hasMessage("MESHCODE_LOG_FORMAT: expected text or json, got 'xml'");
  }

  @Test
  @DisplayName("applying sets the level of everything and of each package on Logback")
  void applies() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Level before = context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel();
    try {
      settings(Map.of("MESHCODE_LOG_LEVEL", "error", "MESHCODE_LOG_LEVELS", "io.meshcode.test.logging=trace")).apply();
      assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.ERROR);
      assertThat(LoggerFactory.getLogger("io.meshcode.test.logging.Some").isTraceEnabled()).isTrue();
      assertThat(LoggerFactory.getLogger("io.meshcode.other").isWarnEnabled()).isFalse();
    } finally {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(before);
      context.getLogger("io.meshcode.test.logging").setLevel(null);
    }
  }

  @Test
  @DisplayName("as text, an event is one line with the request id, even with newlines and a stack trace")
  void textLine() throws Exception {
    List<String> lines = logOnce("text");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("ERROR", "LogSettingsTest [req-7] - sending failed: first second | "
        + "java.lang.IllegalStateException: broken | at io.meshcode.core.logging.LogSettingsTest").doesNotEndWith("| ");
  }

  @Test
  @DisplayName("a format Logback cannot take starts it as text, without a word from Logback itself, for LogSettings to refuse")
  void badFormatStartsAsText() throws Exception {
    List<String> lines = logOnce("xml");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("ERROR", "[req-7] - sending failed");
  }

  @Test
  @DisplayName("as JSON, an event is one object on one line, with the request id as a field")
  void jsonLine() throws Exception {
    List<String> lines = logOnce("json");
    assertThat(lines).hasSize(1);
    JsonObject event = new JsonObject(lines.get(0));
    assertThat(event.getString("level")).isEqualTo("ERROR");
    assertThat(event.getString("loggerName")).isEqualTo(LogSettingsTest.class.getName());
    assertThat(event.getString("formattedMessage")).isEqualTo("sending failed: first\nsecond");
    assertThat(event.getJsonObject("mdc").getString(RequestIdHandler.MDC_KEY)).isEqualTo("req-7");
    assertThat(event.getJsonObject("throwable").getString("message")).isEqualTo("broken");
  }

  /** One error with a two-line message and an exception, through libs/core's logback.xml in {@code format}. */
  private static List<String> logOnce(String format) throws Exception {
    LoggerContext context = new LoggerContext();
    // The MDC that SLF4J's MDC writes to, as in a running service.
    context.setMDCAdapter(MDC.getMDCAdapter());
    context.putProperty(LogSettings.FORMAT, format);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      configurator.doConfigure(LogSettingsTest.class.getResource("/logback.xml"));
      MDC.put(RequestIdHandler.MDC_KEY, "req-7");
      context.getLogger(LogSettingsTest.class).error("sending failed: {}", "first\nsecond", new IllegalStateException("broken"));
    } finally {
      MDC.remove(RequestIdHandler.MDC_KEY);
      context.stop();
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
