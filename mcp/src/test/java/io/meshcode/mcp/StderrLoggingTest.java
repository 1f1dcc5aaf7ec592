package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

@DisplayName("The clients' logging")
class StderrLoggingTest {

  @AfterEach
  void defaults() {
    StderrLogging.configure(Map.of());
  }

  @Test
  @DisplayName("writes one JSON object per event to stderr with the request id when MESHCODE_LOG_FORMAT=json, and nothing to stdout")
  void json() {
    StderrLogging.configure(Map.of("MESHCODE_LOG_FORMAT", "json"));
    Captured captured = capture(() -> {
      MDC.put("requestId", "r-42");
      try {
        LoggerFactory.getLogger(StderrLoggingTest.class).info("tool {} answered\nin two lines", "meshcode_status");
      } finally {
        MDC.remove("requestId");
      }
    });
    assertThat(captured.stdout()).isEmpty();
    assertThat(captured.stderr().lines()).singleElement().satisfies(line -> {
      JsonNode event = Json.parse(line);
      assertThat(event.path("level").asString()).isEqualTo("INFO");
      assertThat(event.path("loggerName").asString()).isEqualTo(StderrLoggingTest.class.getName());
      assertThat(event.path("formattedMessage").asString()).isEqualTo("tool meshcode_status answered\nin two lines");
      assertThat(event.path("mdc").path("requestId").asString()).isEqualTo("r-42");
    });
  }

  @Test
  @DisplayName("writes text lines as the services do, a message's newlines folded, with the request id")
  void text() {
    Captured captured = capture(() -> {
      MDC.put("requestId", "r-42");
      try {
        LoggerFactory.getLogger(StderrLoggingTest.class).warn("tool failed\nat once", new IllegalStateException("boom"));
      } finally {
        MDC.remove("requestId");
      }
    });
    assertThat(captured.stdout()).isEmpty();
    assertThat(captured.stderr().lines()).singleElement().asString()
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  StderrLoggingTest \\[r-42] - tool failed at once \\| java.lang.IllegalStateException: boom \\| at .*");
  }

  @Test
  @DisplayName("by default logs MeshCode's lines at INFO and libraries' at WARN; MESHCODE_LOG_LEVEL and MESHCODE_LOG_LEVELS change them")
  void levels() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThat(context.getLogger("io.meshcode.mcp.AgentServer").getEffectiveLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.modelcontextprotocol.server.McpAsyncServer").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("reactor.core").getEffectiveLevel()).isEqualTo(Level.WARN);

    StderrLogging.configure(Map.of("MESHCODE_LOG_LEVEL", "error", "MESHCODE_LOG_LEVELS", "io.modelcontextprotocol=debug, io.meshcode.mcp.Inbox=trace"));
    assertThat(context.getLogger("io.meshcode.mcp.AgentServer").getEffectiveLevel()).isEqualTo(Level.ERROR);
    assertThat(context.getLogger("reactor.core").getEffectiveLevel()).isEqualTo(Level.ERROR);
    assertThat(context.getLogger("io.modelcontextprotocol.server.McpAsyncServer").getEffectiveLevel()).isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("io.meshcode.mcp.Inbox").getEffectiveLevel()).isEqualTo(Level.TRACE);
  }

  @Test
  @DisplayName("refuses a bad level, package list or format, naming the variable")
  void refusesBadValues() {
    assertThatThrownBy(() -> StderrLogging.configure(Map.of("MESHCODE_LOG_LEVEL", "loud")))
        .hasMessage("MESHCODE_LOG_LEVEL: expected one of trace, debug, info, warn, error, off, got 'loud'");
    assertThatThrownBy(() -> StderrLogging.configure(Map.of("MESHCODE_LOG_LEVELS", "io.meshcode")))
        .hasMessageStartingWith("MESHCODE_LOG_LEVELS: expected comma-separated package=level pairs");
    assertThatThrownBy(() -> StderrLogging.configure(Map.of("MESHCODE_LOG_FORMAT", "xml")))
        .hasMessage("MESHCODE_LOG_FORMAT: expected text or json, got 'xml'");
  }

  private record Captured(String stdout, String stderr) {}

  private static Captured capture(Runnable logging) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      logging.run();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new Captured(stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
  }
}
