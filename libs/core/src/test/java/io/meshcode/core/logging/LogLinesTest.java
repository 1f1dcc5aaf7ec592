package io.meshcode.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.meshcode.core.http.RequestIdHandler;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

@DisplayName("The services' log lines (libs/core's logback.xml)")
class LogLinesTest {

  @Test
  @DisplayName("as text, an event is one line with the request id, even with newlines and a stack trace")
  void textLine() throws Exception {
    List<String> lines = logOnce("text");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("ERROR", "LogLinesTest [req-7] - sending failed: first second | "
        + "java.lang.IllegalStateException: broken | at io.meshcode.core.logging.LogLinesTest").doesNotEndWith("| ");
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
    assertThat(event.getString("loggerName")).isEqualTo(LogLinesTest.class.getName());
    assertThat(event.getString("formattedMessage")).isEqualTo("sending failed: first\nsecond");
    assertThat(event.getJsonObject("mdc").getString(RequestIdHandler.MDC_KEY)).isEqualTo("req-7");
    assertThat(event.getJsonObject("throwable").getString("message")).isEqualTo("broken");
  }

  /** One error with a two-line message and an exception, through libs/core's logback.xml in {@code format}. */
  private static List<String> logOnce(String format) throws Exception {
    LoggerContext context = new LoggerContext();
    // The MDC that SLF4J's MDC writes to, as in a running service.
    context.setMDCAdapter(MDC.getMDCAdapter());
    context.putProperty(io.meshcode.logging.LogSettings.FORMAT, format);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      configurator.doConfigure(LogLinesTest.class.getResource("/logback.xml"));
      MDC.put(RequestIdHandler.MDC_KEY, "req-7");
      context.getLogger(LogLinesTest.class).error("sending failed: {}", "first\nsecond", new IllegalStateException("broken"));
    } finally {
      MDC.remove(RequestIdHandler.MDC_KEY);
      context.stop();
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
